import Foundation

/// The steps of a footprint: the window's outline in lon/lat, densified where
/// PROJ bends it; longitudes unwrapped so neighbours never jump by 360°; the
/// unwrapped outline cut back into −180…180 at the antimeridian.
enum FootprintRing {
    /// How far (degrees) a piece's projected midpoint may lie from the straight line between its ends.
    static let tolerance = 1e-4
    /// Halvings of one piece at most (each edge: ≤ segmentsPerEdge × 2⁸ pieces).
    static let maximumDepth = 8

    /// Pixel corners walked top-left → bottom-left → bottom-right → top-right, each edge in `n` pieces,
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

    /// The closed lon/lat ring of a window: corners top-left → bottom-left → bottom-right → top-right.
    static func lonLat(window: Window, transform: GeoTransform, toWGS84: Reprojector, segmentsPerEdge: Int) throws -> [Point] {
        let left = Double(window.col), top = Double(window.row)
        let right = left + Double(window.width), bottom = top + Double(window.height)
        let corners = [Point(x: left, y: top), Point(x: left, y: bottom), Point(x: right, y: bottom), Point(x: right, y: top)]
        let project = { (pixels: [Point]) throws -> [Point] in
            try toWGS84.forward(pixels.map { transform.apply(col: $0.x, row: $0.y) })
        }
        var ring: [Point] = []
        for (index, start) in corners.enumerated() {
            let end = corners[(index + 1) % 4]
            let pixels = (0...segmentsPerEdge).map { step -> Point in
                let t = Double(step) / Double(segmentsPerEdge)
                return Point(x: start.x + (end.x - start.x) * t, y: start.y + (end.y - start.y) * t)
            }
            let points = try project(pixels)
            for piece in 0..<segmentsPerEdge {
                ring.append(points[piece])
                ring += try refine(from: (pixels[piece], points[piece]), to: (pixels[piece + 1], points[piece + 1]), depth: 0, project: project)
            }
        }
        ring.append(ring[0])
        return ring
    }

    /// The points to put between two ends of a piece so it follows the projected curve (ends excluded).
    static func refine(from a: (pixel: Point, lonLat: Point), to b: (pixel: Point, lonLat: Point), depth: Int,
                       project: ([Point]) throws -> [Point]) throws -> [Point] {
        guard depth < maximumDepth else { return [] }
        let middle = Point(x: (a.pixel.x + b.pixel.x) / 2, y: (a.pixel.y + b.pixel.y) / 2)
        let projected = try project([middle])[0]
        // Compared with longitudes brought next to each other, so a piece across ±180° is not mistaken for a curve.
        let bx = a.lonLat.x + wrapped(b.lonLat.x - a.lonLat.x)
        let mx = a.lonLat.x + wrapped(projected.x - a.lonLat.x)
        let off = hypot(mx - (a.lonLat.x + bx) / 2, projected.y - (a.lonLat.y + b.lonLat.y) / 2)
        guard off > tolerance else { return [] }
        let left = try refine(from: a, to: (middle, projected), depth: depth + 1, project: project)
        let right = try refine(from: (middle, projected), to: b, depth: depth + 1, project: project)
        return left + [projected] + right
    }

    /// A longitude difference brought into −180…180.
    static func wrapped(_ delta: Double) -> Double {
        var value = delta.truncatingRemainder(dividingBy: 360)
        if value > 180 { value -= 360 }
        if value < -180 { value += 360 }
        return value
    }

    /// The ring with each longitude moved by whole turns to lie within 180° of the one before. Each is its own
    /// longitude plus whole turns (not a running sum of differences), so no rounding builds up along the ring and
    /// a ring that goes round a pole from −180° ends at exactly 180°.
    static func unwrapped(_ ring: [Point]) -> [Point] {
        guard var previous = ring.first?.x else { return ring }
        return ring.map { point in
            previous = point.x + 360 * ((previous - point.x) / 360).rounded()
            return Point(x: previous, y: point.y)
        }
    }

    /// The closed ring started (and ended) at a vertex on ±180°: its own when
    /// it has one, otherwise one put where an edge crosses, by linear
    /// interpolation in lon/lat (edges are densified or exact by then).
    static func startingAtAntimeridian(_ ring: [Point]) -> [Point] {
        var open = Array(ring.dropLast())
        guard open.count >= 3 else { return ring }
        let start: Int
        if let onMeridian = open.firstIndex(where: { abs($0.x) == 180 }) {
            start = onMeridian
        } else if let edge = open.indices.first(where: { abs(open[($0 + 1) % open.count].x - open[$0].x) > 180 }) {
            let a = open[edge], b = open[(edge + 1) % open.count]
            let meridian: Double = a.x > 0 ? 180 : -180
            let bx = a.x + wrapped(b.x - a.x)
            let t = bx == a.x ? 0 : (meridian - a.x) / (bx - a.x)
            open.insert(Point(x: meridian, y: a.y + (b.y - a.y) * t), at: edge + 1)
            start = edge + 1
        } else {
            return ring
        }
        var rotated = Array(open[start...] + open[..<start])
        // Written on the side the ring goes on to (180° and −180° are one meridian), so unwrapping from it
        // runs across the map rather than off its edge.
        rotated[0].x = rotated[1].x < 0 ? -180 : 180
        return rotated + [rotated[0]]
    }

    static func meanLatitude(_ ring: [Point]) -> Double {
        ring.isEmpty ? 0 : ring.reduce(0) { $0 + $1.y } / Double(ring.count)
    }

    /// The parts of an unwrapped ring inside −180…180 after shifting it by whole turns: each shift clipped to the
    /// band by GEOS (an outline closed along a pole is not convex, so no one-line clipping will do).
    static func cutAtAntimeridian(_ ring: [Point]) throws -> [[Point]] {
        let lons = ring.map(\.x)
        guard let west = lons.min(), let east = lons.max() else { return [] }
        if west >= -180, east <= 180 { return [ring] }
        let shape = MultiPolygon(Polygon(rings: [ring]))
        var parts: [[Point]] = []
        let first = Int(((west + 180) / 360).rounded(.down)), last = Int(((east + 180) / 360).rounded(.down))
        for turn in first...last {
            let shift = Double(turn) * 360
            let band = MultiPolygon.rectangle(minX: -180 + shift, minY: -90, maxX: 180 + shift, maxY: 90)
            for polygon in try shape.intersection(band).polygons where polygon.exterior.count >= 4 {
                parts.append(polygon.exterior.map { Point(x: min(max($0.x - shift, -180), 180), y: $0.y) })
            }
        }
        return parts
    }
}
