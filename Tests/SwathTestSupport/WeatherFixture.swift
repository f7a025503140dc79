import Foundation
import SwathGeo

/// The weather cubes of `Fixtures/make_weather_cube.py`, written at test time (with Debian's osgeo) into a
/// temporary folder of their own, and the reference for a time slice on a grid: `gdal_translate -b` of
/// GDAL's classic netCDF reader, then `gdalwarp -r bilinear`.
public struct WeatherFixture {
    public let directory: TemporaryDirectory
    public var weather: String { directory.file("weather.nc") }
    public var notime: String { directory.file("notime.nc") }

    /// 40 × 30 cells of 200 m in UTM 10N, inside the cube (about 121.85° W, 38.84° N).
    public static let grid = (crs: "EPSG:32610", transform: GeoTransform(originX: 600_000, pixelWidth: 200, originY: 4_300_000, pixelHeight: -200),
                       size: Size(width: 40, height: 30))

    public init() throws {
        directory = try TemporaryDirectory("swath-weather")
        let made = try Shell.run("/usr/bin/python3", [Fixture.path("make_weather_cube.py"), directory.url.path])
        guard made.status == 0 else { throw GDALTools.Failure(description: "make_weather_cube.py failed: \(made.stderr)") }
    }

    /// Band `step` + 1 of `variable` warped by the GDAL command line onto `grid`: row by row, NaN for no data.
    public func reference(_ variable: String, step: Int) throws -> [Float] {
        let slice = directory.file("\(variable)-\(step).tif"), warped = directory.file("\(variable)-\(step)-warped.tif")
        let translated = try Shell.run("gdal_translate", ["-q", "-b", "\(step + 1)", "-unscale", "-ot", "Float32", "-a_srs", "EPSG:4326",
                                                          "NETCDF:\"\(weather)\":\(variable)", slice])
        guard translated.status == 0 else { throw GDALTools.Failure(description: "gdal_translate: \(translated.stderr)") }
        let grid = Self.grid
        let c = grid.transform.coefficients
        let te = [c[0], c[3] + Double(grid.size.height) * c[5], c[0] + Double(grid.size.width) * c[1], c[3]].map { "\($0)" }
        let run = try Shell.run("gdalwarp", ["-q", "-r", "bilinear", "-t_srs", grid.crs, "-te"] + te
                                + ["-ts", "\(grid.size.width)", "\(grid.size.height)", "-ot", "Float32", "-dstnodata", "-9999", slice, warped])
        guard run.status == 0 else { throw GDALTools.Failure(description: "gdalwarp: \(run.stderr)") }
        let raster = try Raster.open(warped)
        return try raster.read(raster.bounds, as: Float.self).map { $0 == -9999 ? .nan : $0 }
    }
}
