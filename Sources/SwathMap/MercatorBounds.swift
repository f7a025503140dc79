/// An axis-aligned rectangle in Web Mercator metres (EPSG:3857).
public struct MercatorBounds: Equatable, Sendable {
    public var minX: Double
    public var minY: Double
    public var maxX: Double
    public var maxY: Double

    public init(minX: Double, minY: Double, maxX: Double, maxY: Double) {
        (self.minX, self.minY, self.maxX, self.maxY) = (minX, minY, maxX, maxY)
    }

    public var width: Double { maxX - minX }
    public var height: Double { maxY - minY }
    /// minX, minY, maxX, maxY: the order GDAL and the warper take.
    public var coordinates: [Double] { [minX, minY, maxX, maxY] }

    /// Overlap with positive area (touching edges do not count).
    public func intersects(_ other: MercatorBounds) -> Bool {
        minX < other.maxX && other.minX < maxX && minY < other.maxY && other.minY < maxY
    }
}
