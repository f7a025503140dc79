/// A 2-D coordinate. In WGS84 `x` is longitude and `y` latitude (RFC 7946 order).
public struct Point: Equatable, Hashable, Sendable, Codable {
    public var x: Double
    public var y: Double

    public init(x: Double, y: Double) {
        self.x = x
        self.y = y
    }
}
