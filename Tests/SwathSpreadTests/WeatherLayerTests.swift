import Foundation
import Testing
import SwathGeo
import SwathSpread
import SwathTestSupport

/// A CF NetCDF weather cube read through GDAL's multidimensional API: its times from the CF units, a time
/// slice on a scene's grid equal to gdalwarp's (1e-4 relative), packed values unpacked, interpolation between
/// steps by hand, and the bad inputs named.
@Suite struct WeatherLayerTests {
    let fixture = try! WeatherFixture()
    let start = Date(timeIntervalSince1970: 1_785_542_400)  // 2026-08-01 00:00 UTC, by hand

    func layer(_ variable: String, role: String) throws -> WeatherLayer {
        try WeatherLayer(WeatherSource(argument: "NETCDF:\"\(fixture.weather)\":\(variable)=\(role)"))
    }

    func close(_ a: [Float], _ b: [Float], relative: Float = 1e-4) -> Bool {
        a.count == b.count && zip(a, b).allSatisfy { x, y in (x.isNaN && y.isNaN) || abs(x - y) <= relative * max(1, abs(y)) }
    }

    @Test func timesComeFromTheCFUnits() throws {
        let wind = try layer("u10", role: "wind_u")
        #expect(wind.times == (0..<6).map { start.addingTimeInterval(Double($0) * 6 * 3600) })
        #expect(wind.units == "m s-1")
        #expect(abs(wind.extent[0] + 121.96) < 1e-9 && abs(wind.extent[3] - 38.96) < 1e-9, "\(wind.extent)")
    }

    @Test func aStepOnTheGridIsWhatGdalwarpMakesOfIt() throws {
        let wind = try layer("u10", role: "wind_u")
        let grid = WeatherFixture.grid
        // 13:30 on the first day: the step at 12:00 is the last before it.
        let at = start.addingTimeInterval(13.5 * 3600)
        let mine = try wind.onGrid(at: at, mode: .before, crsWKT: try CRS(grid.crs).wkt, transform: grid.transform, size: grid.size)
        let reference = try fixture.reference("u10", step: 2)
        #expect(!reference.contains { $0.isNaN }, "the grid lies inside the cube")
        #expect(close(mine, reference), "\(mine.prefix(4)) vs \(reference.prefix(4))")
    }

    /// The same cube as Zarr v2, written by xarray (as ERA5 and HRRR archives are), read through GDAL's Zarr driver:
    /// the same times, and the same slice as gdalwarp makes of the NetCDF.
    @Test func aZarrCubeReadsLikeTheNetCDF() throws {
        let zarr = fixture.directory.file("weather.zarr")
        let script = "import sys, xarray; xarray.open_dataset(sys.argv[1]).to_zarr(sys.argv[2], zarr_format=2, consolidated=False)"
        let written = try Shell.run("python3", ["-c", script, fixture.weather, zarr])
        try #require(written.status == 0, "xarray to_zarr: \(written.stderr)")
        let wind = try WeatherLayer(WeatherSource(argument: "ZARR:\"\(zarr)\":/u10=wind_u"))
        #expect(wind.times == (0..<6).map { start.addingTimeInterval(Double($0) * 6 * 3600) })
        let grid = WeatherFixture.grid
        let mine = try wind.onGrid(at: start.addingTimeInterval(13.5 * 3600), mode: .before, crsWKT: try CRS(grid.crs).wkt,
                                   transform: grid.transform, size: grid.size)
        #expect(close(mine, try fixture.reference("u10", step: 2)))
        // Only the drivers a caller allows open a source: a Zarr where NetCDF alone is allowed is refused, named.
        #expect { try WeatherLayer(WeatherSource(argument: "ZARR:\"\(zarr)\":/u10=wind_u"), drivers: ["netCDF"]) } throws: { error in
            "\(error)".contains("weather source") && "\(error)".contains("u10")
        }
    }

    /// u10 as six GRIB2 messages (forecast hours 0…30 from one reference time; GDAL's multidimensional view, times in
    /// "sec UTC"): the same times, and the same slice as gdalwarp makes of the NetCDF.
    @Test func aGRIBSeriesReadsLikeTheNetCDF() throws {
        let wind = try WeatherLayer(WeatherSource(argument: "GRIB:\"\(fixture.directory.file("weather.grb2"))\":UGRD_10-HTGL=wind_u"))
        #expect(wind.times == (0..<6).map { start.addingTimeInterval(Double($0) * 6 * 3600) })
        let grid = WeatherFixture.grid
        let mine = try wind.onGrid(at: start.addingTimeInterval(13.5 * 3600), mode: .before, crsWKT: try CRS(grid.crs).wkt,
                                   transform: grid.transform, size: grid.size)
        #expect(close(mine, try fixture.reference("u10", step: 2)))
    }

    /// The same cube on longitudes 0–360 (as ERA5 comes from the CDS): a grid at 121.9° W is found at 238.1° E, and
    /// its slice equals gdalwarp's of the −180…180 cube.
    @Test func longitudesFrom0To360() throws {
        let wind = try WeatherLayer(WeatherSource(argument: "NETCDF:\"\(fixture.directory.file("weather360.nc"))\":u10=wind_u"))
        #expect(wind.extent[0] > 180, "\(wind.extent)")
        let grid = WeatherFixture.grid
        let utm = try CRS(grid.crs).wkt
        try wind.checkCovers(crsWKT: utm, transform: grid.transform, size: grid.size)
        let mine = try wind.onGrid(at: start.addingTimeInterval(13.5 * 3600), mode: .before, crsWKT: utm, transform: grid.transform, size: grid.size)
        #expect(!mine.contains { $0.isNaN })
        #expect(close(mine, try fixture.reference("u10", step: 2)))
    }

    @Test func packedValuesAreUnpacked() throws {
        let temperature = try layer("t2m", role: "temperature")
        let grid = WeatherFixture.grid
        let mine = try temperature.onGrid(at: start, mode: .before, crsWKT: try CRS(grid.crs).wkt, transform: grid.transform, size: grid.size)
        #expect(close(mine, try fixture.reference("t2m", step: 0)))
        #expect(mine.allSatisfy { (273...280).contains($0) }, "kelvin, not the stored integers")
    }

    @Test func interpolationWeighsTheStepsAround() throws {
        let wind = try layer("v10", role: "wind_v")
        let grid = WeatherFixture.grid
        // 2 h after the 6:00 step: a third of the way to 12:00.
        let at = start.addingTimeInterval(8 * 3600)
        #expect(try wind.steps(at: at, mode: .interp).map(\.index) == [1, 2])
        let mine = try wind.onGrid(at: at, mode: .interp, crsWKT: try CRS(grid.crs).wkt, transform: grid.transform, size: grid.size)
        let six = try fixture.reference("v10", step: 1), twelve = try fixture.reference("v10", step: 2)
        let byHand = zip(six, twelve).map { a, b in a * 2 / 3 + b / 3 }
        #expect(close(mine, byHand))
    }

    @Test func badSourcesAreNamed() throws {
        #expect(throws: SpreadError.self) { try WeatherLayer(WeatherSource(path: fixture.notime, variable: nil, role: "humidity")) }
        do {
            _ = try WeatherLayer(WeatherSource(path: fixture.notime, variable: nil, role: "humidity"))
        } catch let error as SpreadError {
            #expect(error.description.contains("no time dimension") && error.description.contains("level, lat, lon"), "\(error)")
        }
        do {
            _ = try WeatherLayer(WeatherSource(path: fixture.weather, variable: nil, role: "wind_u"))
            Issue.record("a source with three variables needs one named")
        } catch let error as SpreadError {
            #expect(error.description.contains("several variables (") && error.description.contains("u10"), "\(error)")
        }
        let wind = try layer("u10", role: "wind_u")
        do {
            _ = try wind.steps(at: start.addingTimeInterval(-3600), mode: .before)
            Issue.record("an observation before the first step has no weather")
        } catch let error as SpreadError {
            #expect(error.description.contains("starts at 2026-08-01T00:00:00Z, after the observation at 2026-07-31T23:00:00Z"), "\(error)")
        }
        #expect(throws: SpreadError.self) { try wind.steps(at: start.addingTimeInterval(31 * 3600), mode: .interp) }
        #expect(try wind.steps(at: start.addingTimeInterval(31 * 3600), mode: .before).map(\.index) == [5])
        // Seven hours after the last step of a six-hourly source: it has ended, not gone on blowing.
        #expect(throws: SpreadError.self) { try wind.steps(at: start.addingTimeInterval(37 * 3600), mode: .before) }
        #expect(throws: SpreadError.self) { try WeatherLayer(WeatherSource(path: fixture.directory.file("missing.nc"), variable: nil, role: "wind_u")) }
    }

    @Test func aGridOutsideTheSourceIsRefusedWithBothExtents() throws {
        let wind = try layer("u10", role: "wind_u")
        let grid = WeatherFixture.grid
        let wkt = try CRS(grid.crs).wkt
        try wind.checkCovers(crsWKT: wkt, transform: grid.transform, size: grid.size)
        // 100 km further east: about 120.7° W, east of the cube's 121.64° W edge.
        let away = GeoTransform(originX: 700_000, pixelWidth: 200, originY: 4_300_000, pixelHeight: -200)
        do {
            try wind.checkCovers(crsWKT: wkt, transform: away, size: grid.size)
            Issue.record("a grid 100 km off the cube was accepted")
        } catch let error as SpreadError {
            #expect(error.description.contains("covers [-121.9600, 38.7200, -121.6400, 38.9600] but the scene needs [-120.69"), "\(error)")
        }
    }
}
