import Foundation

/// One or more polygons: the shape of every label. A single Polygon is a
/// MultiPolygon of one; `isMulti` remembers which GeoJSON type it came as.
public struct MultiPolygon: Equatable, Sendable {
    public var polygons: [Polygon]
    public var isMulti: Bool

    public init(_ polygons: [Polygon], isMulti: Bool? = nil) {
        self.polygons = polygons
        self.isMulti = isMulti ?? (polygons.count != 1)
    }

    public init(_ polygon: Polygon) {
        self.init([polygon], isMulti: false)
    }

    /// An axis-aligned rectangle, closed and counter-clockwise.
    public static func rectangle(minX: Double, minY: Double, maxX: Double, maxY: Double) -> MultiPolygon {
        MultiPolygon(Polygon(rings: [[Point(x: minX, y: minY), Point(x: maxX, y: minY), Point(x: maxX, y: maxY),
                                      Point(x: minX, y: maxY), Point(x: minX, y: minY)]]))
    }

    public var isEmpty: Bool { polygons.isEmpty }
    public var vertexCount: Int { polygons.reduce(0) { $0 + $1.vertexCount } }
    public var allPoints: [Point] { polygons.flatMap { $0.rings.flatMap { $0 } } }

    public func map(_ transform: (Point) throws -> Point) rethrows -> MultiPolygon {
        MultiPolygon(try polygons.map { try $0.map(transform) }, isMulti: isMulti)
    }

    /// Maps all points at once (one PROJ call for the whole geometry).
    public func mapAll(_ transform: ([Point]) throws -> [Point]) rethrows -> MultiPolygon {
        let mapped = try transform(allPoints)
        var cursor = 0
        let polygons = self.polygons.map { polygon in
            Polygon(rings: polygon.rings.map { ring in
                defer { cursor += ring.count }
                return Array(mapped[cursor..<(cursor + ring.count)])
            })
        }
        return MultiPolygon(polygons, isMulti: isMulti)
    }

    public var rightHanded: MultiPolygon { MultiPolygon(polygons.map(\.rightHanded), isMulti: isMulti) }

    /// [minX, minY, maxX, maxY]; nil when empty.
    public var bounds: [Double]? {
        let points = allPoints
        guard let first = points.first else { return nil }
        var box = [first.x, first.y, first.x, first.y]
        for point in points {
            box[0] = min(box[0], point.x); box[1] = min(box[1], point.y)
            box[2] = max(box[2], point.x); box[3] = max(box[3], point.y)
        }
        return box
    }

    /// Coordinates rounded to `decimals` places: 7 is about 1 cm in degrees.
    public func rounded(decimals: Int) -> MultiPolygon {
        let scale = pow(10.0, Double(decimals))
        return map { Point(x: ($0.x * scale).rounded() / scale, y: ($0.y * scale).rounded() / scale) }
    }
}

extension MultiPolygon {
    /// The same shape within `tolerance` (CRS units), whatever vertex a ring
    /// starts at or which way it winds: the areas of both shapes and of their
    /// intersection agree to within a sliver `tolerance` wide along the edges.
    /// How "unchanged" is judged after a round trip through another CRS.
    public func isAlmostEqual(to other: MultiPolygon, tolerance: Double) throws -> Bool {
        let a = area, b = other.area
        let shared = try intersection(other).area
        let slack = tolerance * Swift.max(perimeter, other.perimeter) + tolerance * tolerance
        return abs(a - shared) <= slack && abs(b - shared) <= slack
    }

    /// Total length of every ring.
    public var perimeter: Double {
        var total = 0.0
        for polygon in polygons {
            for ring in polygon.rings {
                for (a, b) in zip(ring, ring.dropFirst()) { total += hypot(b.x - a.x, b.y - a.y) }
            }
        }
        return total
    }
}
