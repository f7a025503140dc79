/// The WGS84 outline of a pixel window: one or two closed, counter-clockwise
/// rings of (longitude, latitude), two when the window crosses the antimeridian
/// (RFC 7946 §3.1.9 asks for the cut), plus its RFC 7946 bbox.
public struct Footprint: Equatable, Sendable {
    public var polygons: [[Point]]
    /// [west, south, east, north]; west > east when it crosses the antimeridian.
    public var bbox: [Double]

    public var crossesAntimeridian: Bool { polygons.count > 1 }

    /// Outlines `window` through the full affine `transform` (rotation included)
    /// and PROJ. Each edge is split into `segmentsPerEdge` pieces, so curved
    /// edges of large windows are followed closely.
    public init(window: Window, transform: GeoTransform, toWGS84: Reprojector, segmentsPerEdge: Int = 1) throws {
        var ring = try toWGS84.forward(transform.densifiedOutline(window, segmentsPerEdge: segmentsPerEdge))
        ring.append(ring[0])
        self.init(lonLatRing: ring)
    }

    /// Builds a footprint from a closed lon/lat ring, fixing winding and
    /// cutting it at the antimeridian when its longitudes jump across ±180°.
    public init(lonLatRing ring: [Point]) {
        let lons = ring.map(\.x)
        let crossing = (lons.max()! - lons.min()!) > 180
        if crossing {
            let unwrapped = ring.map { Point(x: $0.x < 0 ? $0.x + 360 : $0.x, y: $0.y) }
            let west = Self.clip(unwrapped, keepBelow: 180)
            let east = Self.clip(unwrapped, keepBelow: nil).map { Point(x: $0.x - 360, y: $0.y) }
            polygons = [west, east].filter { $0.count >= 4 }.map(Self.counterClockwise)
            bbox = [west.map(\.x).min()!, ring.map(\.y).min()!, east.map(\.x).max()!, ring.map(\.y).max()!]
        } else {
            polygons = [Self.counterClockwise(ring)]
            bbox = [lons.min()!, ring.map(\.y).min()!, lons.max()!, ring.map(\.y).max()!]
        }
    }

    /// Pixel corners walked top-left → bottom-left → bottom-right → top-right,
    /// open (the first point is not repeated).
    static func pixelRing(_ window: Window, segmentsPerEdge n: Int) -> [Point] {
        let left = Double(window.col), top = Double(window.row)
        let right = left + Double(window.width), bottom = top + Double(window.height)
        let corners = [Point(x: left, y: top), Point(x: left, y: bottom), Point(x: right, y: bottom), Point(x: right, y: top)]
        var ring: [Point] = []
        for (index, start) in corners.enumerated() {
            let end = corners[(index + 1) % 4]
            for step in 0..<n {
                let t = Double(step) / Double(n)
                ring.append(Point(x: start.x + (end.x - start.x) * t, y: start.y + (end.y - start.y) * t))
            }
        }
        return ring
    }

    /// Twice the signed area (shoelace); positive for counter-clockwise in lon/lat.
    static func signedArea(_ ring: [Point]) -> Double {
        zip(ring, ring.dropFirst()).reduce(0) { $0 + ($1.0.x * $1.1.y - $1.1.x * $1.0.y) }
    }

    static func counterClockwise(_ ring: [Point]) -> [Point] {
        signedArea(ring) < 0 ? ring.reversed() : ring
    }

    /// Keeps the part of a closed ring west of lon 180 (`keepBelow: 180`) or
    /// east of it (`nil`), inserting the crossing points on the meridian.
    /// Sutherland–Hodgman against one line: enough for convex tile outlines.
    static func clip(_ ring: [Point], keepBelow limit: Double?) -> [Point] {
        let inside: (Point) -> Bool = { limit != nil ? $0.x <= 180 : $0.x >= 180 }
        var output: [Point] = []
        for (current, next) in zip(ring, ring.dropFirst()) {
            if inside(current) { output.append(current) }
            if inside(current) != inside(next), current.x != next.x {
                let t = (180 - current.x) / (next.x - current.x)
                output.append(Point(x: 180, y: current.y + (next.y - current.y) * t))
            }
        }
        if let first = output.first { output.append(first) }
        return output
    }
}
