import Foundation
import SwathGeo

/// A DEM on a fire's grid: elevation warped by GDAL (averaged when the grid's cells are coarser than the
/// DEM's, bilinear otherwise), slope and the upslope direction from GDAL's own terrain analysis (gdaldem's
/// slope and aspect: upslope is the aspect turned round). A grid the DEM does not wholly cover is refused.
public struct FireTerrain: Sendable {
    public let elevation: [Float]
    public let slopeDegrees: [Float]
    /// sin and cos of the azimuth uphill (clockwise from north); NaN on flat ground.
    public let upslopeSin: [Float]
    public let upslopeCos: [Float]

    public init(dem path: String, grid: FireGrid, drivers: [String]? = nil) throws {
        let dem: Raster
        do { dem = try Raster.open(path, drivers: drivers) } catch let error as GeoError { throw SpreadError("--dem \(path): \(error.reason)") }
        let resampling = try grid.resampling(for: dem, named: "--dem \(path)")
        // One cell more on every side, so gdaldem's 3 × 3 kernel has real neighbours at the grid's edge.
        let outer = Size(width: grid.size.width + 2, height: grid.size.height + 2)
        let outerTransform = grid.transform.offset(col: -1, row: -1)
        let warped = try dem.warped(toCRS: grid.crsWKT, transform: outerTransform, size: outer, resampling: resampling)
        let whole = Window(col: 0, row: 0, width: outer.width, height: outer.height)
        let outerHeights = try warped.read(whole, bands: [1], as: Float.self)
        guard !outerHeights.contains(where: { $0 == -9999 || $0.isNaN }) else {
            throw SpreadError("--dem \(path) does not cover the whole grid of a fire (\(grid.size.width) × \(grid.size.height) cells from \(grid.transform.coefficients[0]), \(grid.transform.coefficients[3]) in the dataset's CRS)")
        }
        // A copy in memory: gdaldem reads it whole, and must not read the warped VRT once per kernel.
        let surface = try Raster.inMemory(size: outer, bandCount: 1, dataType: .float32)
        try surface.setGeoTransform(outerTransform)
        try surface.write(outerHeights, window: whole, bands: [1])
        let inner = Window(col: 1, row: 1, width: grid.size.width, height: grid.size.height)
        let heights = try surface.read(inner, bands: [1], as: Float.self)
        let slope = try surface.terrain("slope").read(inner, bands: [1], as: Float.self)
        let aspect = try surface.terrain("aspect").read(inner, bands: [1], as: Float.self)
        elevation = heights
        slopeDegrees = slope.map { $0 == -9999 ? .nan : $0 }
        let uphill = aspect.map { $0 == -9999 ? Double.nan : (Double($0) + 180) * .pi / 180 }
        upslopeSin = uphill.map { Float(sin($0)) }
        upslopeCos = uphill.map { Float(cos($0)) }
    }
}
