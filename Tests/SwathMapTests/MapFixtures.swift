import Foundation
import SwathGeo
@testable import SwathMap
import SwathTestSupport

/// The fixture scene as the map sees it, and the tiles over its centre.
enum MapFixture {
    static let path = Fixture.path("utm_multiband.tif")
    static let webMercator = try! CRS("EPSG:3857")

    static func scene(id: Int64 = 1, path: String = MapFixture.path) throws -> MapScene {
        let raster = try Raster.open(path)
        return MapScene(id: id, uri: path, crsWKT: raster.crs!.wkt, geoTransform: raster.geoTransform!, width: raster.width,
                        height: raster.height, bandCount: raster.bandCount, bandRoles: ["blue": 1, "green": 2, "red": 3, "nir": 4],
                        bboxWGS84: [])
    }

    /// The scene centre in lon/lat by PROJ's cs2cs (not our reprojector).
    static func centreLonLat() throws -> Point {
        let raster = try Raster.open(path)
        let centre = raster.geoTransform!.apply(col: Double(raster.width) / 2, row: Double(raster.height) / 2)
        return try GDALTools.toLonLat(fromEPSG: raster.crs!.epsg!, [centre])[0]
    }

    /// The XYZ tile holding a lon/lat, by the slippy-map formula.
    static func tile(containing point: Point, zoom: Int) throws -> TileAddress {
        let n = Double(1 << zoom)
        let x = Int(floor((point.x + 180) / 360 * n))
        let latitude = point.y * .pi / 180
        let y = Int(floor((1 - asinh(tan(latitude)) / .pi) / 2 * n))
        return try TileAddress(z: zoom, x: x, y: y)
    }

    /// gdalwarp's rendering of a tile: all bands as Float32 plus an alpha band, band-sequential.
    static func gdalwarp(_ source: String, tile: TileAddress, resampling: String, overview: String,
                         in directory: TemporaryDirectory) throws -> [Float] {
        let b = tile.bounds
        let output = directory.file("gdalwarp-\(tile.z)-\(tile.x)-\(tile.y)-\(resampling).tif")
        let result = try Shell.run("gdalwarp", ["-q", "-overwrite", "-t_srs", "EPSG:3857",
                                                "-te", "\(b.minX)", "\(b.minY)", "\(b.maxX)", "\(b.maxY)",
                                                "-ts", "256", "256", "-r", resampling, "-ovr", overview, "-ot", "Float32",
                                                "-dstalpha", source, output])
        guard result.status == 0 else { throw GeoError.invalidArgument(name: "gdalwarp", reason: result.stderr) }
        return try Raster.open(output).read(Window(col: 0, row: 0, width: 256, height: 256), as: Float.self)
    }
}
