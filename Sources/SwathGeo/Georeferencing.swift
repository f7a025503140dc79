/// Pixel ⇄ scene CRS ⇄ WGS84 for one raster: its full affine geotransform
/// and a PROJ transformation to longitude/latitude. Pixel positions are
/// GDAL's: (0, 0) is the top-left corner of the first pixel, (0.5, 0.5) its centre.
public final class Georeferencing: @unchecked Sendable {
    public let transform: GeoTransform
    public let crs: CRS
    private let toWGS84: Reprojector

    public init(transform: GeoTransform, crs: CRS) throws {
        guard transform.determinant != 0, transform.determinant.isFinite else {
            throw GeoError.projection(reason: "the geotransform \(transform.coefficients) is degenerate")
        }
        self.transform = transform
        self.crs = crs
        self.toWGS84 = try .toWGS84(from: crs)
    }

    /// The raster's georeferencing; throws naming the raster when it has no CRS or no geotransform.
    public convenience init(_ raster: Raster) throws {
        guard let crs = raster.crs, let transform = raster.geoTransform else {
            throw GeoError.invalidRaster(path: raster.path, reason: "is not georeferenced (no CRS or no geotransform)")
        }
        try self.init(transform: transform, crs: crs)
    }

    public func pixelToCRS(_ pixel: Point) -> Point { transform.apply(col: pixel.x, row: pixel.y) }

    public func crsToPixel(_ point: Point) -> Point { transform.invert(point)! }  // non-degenerate by init

    /// Pixel/line positions to (longitude, latitude).
    public func pixelToLonLat(_ pixels: [Point]) throws -> [Point] {
        try toWGS84.forward(pixels.map(pixelToCRS))
    }

    /// (longitude, latitude) to pixel/line positions.
    public func lonLatToPixel(_ positions: [Point]) throws -> [Point] {
        try toWGS84.inverse(positions).map(crsToPixel)
    }
}
