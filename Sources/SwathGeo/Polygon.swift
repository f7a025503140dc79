/// A polygon: an exterior ring and optional holes, each ring closed (first
/// point repeated last). Coordinates are in whatever CRS the caller says.
public struct Polygon: Equatable, Sendable {
    public var rings: [[Point]]

    public init(rings: [[Point]]) {
        self.rings = rings
    }

    public var exterior: [Point] { rings.first ?? [] }
    public var holes: ArraySlice<[Point]> { rings.dropFirst() }
    public var vertexCount: Int { rings.reduce(0) { $0 + $1.count } }

    /// The same polygon with every point mapped (a reprojection, an affine).
    public func map(_ transform: (Point) throws -> Point) rethrows -> Polygon {
        Polygon(rings: try rings.map { try $0.map(transform) })
    }

    /// RFC 7946's right-hand rule: exterior counter-clockwise, holes clockwise
    /// (in a y-up CRS such as lon/lat or a projected CRS).
    public var rightHanded: Polygon {
        Polygon(rings: rings.enumerated().map { index, ring in
            let counterClockwise = Self.signedArea(ring) > 0
            return (index == 0) == counterClockwise ? ring : ring.reversed()
        })
    }

    /// Twice the signed area of a closed ring; positive when counter-clockwise.
    public static func signedArea(_ ring: [Point]) -> Double {
        zip(ring, ring.dropFirst()).reduce(0) { $0 + ($1.0.x * $1.1.y - $1.1.x * $1.0.y) }
    }
}
