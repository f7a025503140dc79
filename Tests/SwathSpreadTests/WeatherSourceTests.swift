import Foundation
import Testing
import SwathSpread

/// `--weather SOURCE[=ROLE]` and CF time units, parsed by hand-checked rules.
@Suite struct WeatherSourceTests {
    @Test func argumentsNameAPathAVariableAndARole() throws {
        let named = try WeatherSource(argument: "NETCDF:\"/data/era5 2026.nc\":u10=wind_u")
        #expect(named == WeatherSource(path: "/data/era5 2026.nc", variable: "u10", role: "wind_u"))
        let defaulted = try WeatherSource(argument: "ZARR:\"s3://wx/hrrr.zarr\":/surface/t2m")
        #expect(defaulted == WeatherSource(path: "s3://wx/hrrr.zarr", variable: "/surface/t2m", role: "t2m"))
        // As a shell passes `--weather NETCDF:"/data/era5.nc":u10=wind_u` typed unquoted: the quotes are gone.
        let unquoted = try WeatherSource(argument: "NETCDF:/data/era5.nc:u10=wind_u")
        #expect(unquoted == WeatherSource(path: "/data/era5.nc", variable: "u10", role: "wind_u"))
        let unquotedS3 = try WeatherSource(argument: "ZARR:s3://wx/hrrr.zarr:/surface/t2m")
        #expect(unquotedS3 == WeatherSource(path: "s3://wx/hrrr.zarr", variable: "/surface/t2m", role: "t2m"))
        let plain = try WeatherSource(argument: "/data/erc.nc=energy_release")
        #expect(plain == WeatherSource(path: "/data/erc.nc", variable: nil, role: "energy_release"))
    }

    @Test(arguments: [
        ("/data/erc.nc", "say what it is"),
        ("/data/erc.nc=Wind U", "must be lowercase"),
        ("NETCDF:\"/data/a.nc", "expected FORMAT:\"path\":variable"),
        ("NETCDF:\"/data/a.nc\":", "no variable"),
        ("/data/a.nc=fire_mask", "a band Swath makes itself"), ("/data/a.nc=wind_spread_alignment", "a band Swath makes itself"),
        ("/data/a.nc=fuel_class", "a band Swath makes itself"),
        ("ZARR:s3://wx/hrrr.zarr=wind_u", "expected FORMAT:path:variable"), ("GRIB:/data/gfs.grb2=wind_u", "expected FORMAT:path:variable"),
    ])
    func badArgumentsSayWhy(_ argument: String, _ words: String) {
        do {
            _ = try WeatherSource(argument: argument)
            Issue.record("\(argument) was accepted")
        } catch {
            #expect("\(error)".contains(words) && "\(error)".contains("--weather"), "\(error)")
        }
    }

    @Test func windComesInPairs() throws {
        let u = WeatherSource(path: "a", variable: nil, role: "wind_u"), v = WeatherSource(path: "b", variable: nil, role: "wind_v")
        try WeatherSource.checkPairs([u, v])
        #expect(throws: SpreadError("--weather: wind_u needs wind_v too")) { try WeatherSource.checkPairs([u]) }
        #expect(throws: SpreadError("--weather: role 'wind_u' is given twice")) { try WeatherSource.checkPairs([u, u, v]) }
    }

    @Test func cfTimeUnits() throws {
        let hours = try CFTime(units: "hours since 1900-01-01 00:00:00.0", calendar: "gregorian")
        // 2026-01-01 is 46,021 days (126 years of 365 days and 31 leap days, 1900 not one) = 1,104,504 hours after 1900-01-01.
        #expect(hours.date(1_104_504) == Date(timeIntervalSince1970: 1_767_225_600))
        let days = try CFTime(units: "days since 1970-01-01T00:00:00Z")
        #expect(days.date(1.5) == Date(timeIntervalSince1970: 129_600))
        #expect(try CFTime(units: "hours since 2020-01-01 00:00:00 UTC").epoch == Date(timeIntervalSince1970: 1_577_836_800))
        #expect(try CFTime(units: "sec UTC").date(86_400) == Date(timeIntervalSince1970: 86_400), "GRIB's valid time")
        #expect(throws: SpreadError.self) { try CFTime(units: "days since 2000-01-01", calendar: "noleap") }
        #expect(throws: SpreadError.self) { try CFTime(units: "fortnights since 2000-01-01") }
        #expect(throws: SpreadError.self) { try CFTime(units: "hours since 2000-13-01") }
        #expect(throws: SpreadError.self) { try CFTime(units: "hours since 2000-01-01 00:00:00 +05:00") }
    }
}
