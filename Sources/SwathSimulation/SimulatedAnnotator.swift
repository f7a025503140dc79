import Foundation
import SwathGeo
import SwathLabels

/// One member of the simulated workforce: a user of the real service, with
/// a way of working. Honest annotators trace what is there with their own
/// noise (vertex jitter, missed small objects, class confusions); the
/// dishonest follow their `kind`.
struct SimulatedAnnotator {
    var user: User
    var kind: DishonestKind?
    /// Standard deviation of vertex placement, in pixels.
    var jitter: Double
    /// Chance of missing an object under 300 px² (and a tenth of it for larger ones).
    var missSmall: Double
    var confusion: Double
    /// The other half of a colluding pair (index into the workforce).
    var partner: Int?
    /// Feature collections handed in, by task id (copiers and colluders reuse them).
    var handedIn: [TaskID: [JSONValue]] = [:]
    var paused = false
    var done = false
    /// Non-gold tasks handed in so far.
    var tasksDone = 0
    /// Sleepers: the task count at which they stopped trying, and how many tasks after it the change-point flag came.
    var switchedAt: Int?
    var caughtAfter: Int?

    var label: String { kind?.rawValue ?? "honest" }

    /// An honest tracing of the tile's objects; `preLabels` (id, class, centroid) are edited rather than drawn anew.
    func trace(_ objects: [TruthObject], preLabels: [OfferedPreLabel], secondsPerVertex: ClosedRange<Double>,
               secondsPerObject: ClosedRange<Double> = 3...8, using random: inout SimulationRandom) -> [JSONValue] {
        var effort = TraceEffort()
        return trace(objects, preLabels: preLabels, editsOutlines: false, secondsPerVertex: secondsPerVertex,
                     secondsPerObject: secondsPerObject, effort: &effort, using: &random)
    }

    /// With `editsOutlines`, a pre-label that matches an object (IoU ≥ 0.6) is corrected, not redrawn:
    /// its vertices within the annotator's precision of the true outline stay, the others are dragged
    /// onto it, and only dragged vertices count as drawn. `effort` adds up what was drawn.
    func trace(_ objects: [TruthObject], preLabels: [OfferedPreLabel], editsOutlines: Bool, secondsPerVertex: ClosedRange<Double>,
               secondsPerObject: ClosedRange<Double> = 3...8, effort: inout TraceEffort, using random: inout SimulationRandom) -> [JSONValue] {
        var features: [JSONValue] = []
        for object in objects {
            let small = object.area < 300
            if random.chance(small ? missSmall : missSmall / 10) { continue }
            var classId = object.classId
            if random.chance(confusion) { classId = SimulatedScene.classes.filter { $0 != object.classId }.randomElement(using: &random)! }
            let centre = Self.centre(object.vertices)
            let edited = preLabels.first { hypot($0.centre.x - centre.x, $0.centre.y - centre.y) < 6 }
            var ring = object.vertices.map { Point(x: $0.x + random.gaussian(jitter), y: $0.y + random.gaussian(jitter)) }
            var drawn = ring.count, checked = 0
            if editsOutlines, let edited, edited.ring.count >= 3, Self.iou(edited.ring, object.vertices) >= 0.6,
               let corrected = correct(edited.ring, toward: object.vertices) {
                (ring, drawn) = corrected
                checked = ring.count - drawn
                if edited.classId == object.classId, classId != object.classId { classId = object.classId }  // the draft's class was right
            }
            effort.vertices += drawn
            effort.objects += 1
            // Kept vertices are looked at, not placed: a fraction of a second each.
            var seconds = Double(drawn) * random.uniform(secondsPerVertex) + random.uniform(secondsPerObject)
            if checked > 0 { seconds += Double(checked) * random.uniform(0.4...0.8) }
            features.append(Self.feature(ring, classId: classId, seconds: seconds, id: edited?.id))
        }
        return features
    }

    /// A drafted outline corrected toward the truth: vertices off the true outline by more than this
    /// annotator's own precision (1.5 × their jitter, at least a pixel) are dragged onto it; the rest are
    /// kept. Nil when the correction would cross itself (then the object is redrawn).
    func correct(_ draft: [Point], toward truth: [Point]) -> (ring: [Point], moved: Int)? {
        var moved = 0
        let ring = draft.map { vertex -> Point in
            let nearest = Self.nearestPoint(on: truth, to: vertex)
            guard hypot(nearest.x - vertex.x, nearest.y - vertex.y) > max(1, 1.5 * jitter) else { return vertex }
            moved += 1
            return nearest
        }
        guard MultiPolygon(Polygon(rings: [ring + [ring[0]]])).validityProblem == nil else { return nil }
        return (ring, moved)
    }

    static func nearestPoint(on ring: [Point], to point: Point) -> Point {
        var best = ring[0], bestDistance = Double.infinity
        for index in ring.indices {
            let a = ring[index], b = ring[(index + 1) % ring.count]
            let (dx, dy) = (b.x - a.x, b.y - a.y)
            let length = dx * dx + dy * dy
            let t = length > 0 ? max(0, min(1, ((point.x - a.x) * dx + (point.y - a.y) * dy) / length)) : 0
            let candidate = Point(x: a.x + t * dx, y: a.y + t * dy)
            let distance = hypot(candidate.x - point.x, candidate.y - point.y)
            if distance < bestDistance { (best, bestDistance) = (candidate, distance) }
        }
        return best
    }

    /// IoU of two open rings (GEOS through OGR); 0 when either is not a valid polygon.
    static func iou(_ a: [Point], _ b: [Point]) -> Double {
        let first = MultiPolygon(Polygon(rings: [a + [a[0]]])), second = MultiPolygon(Polygon(rings: [b + [b[0]]]))
        guard first.validityProblem == nil, second.validityProblem == nil, let shared = try? first.intersection(second).area else { return 0 }
        let union = first.area + second.area - shared
        return union > 0 ? shared / union : 0
    }

    /// An earlier feature, disguised as a jittering copier does: each vertex moved by a Gaussian `jitter`,
    /// the ring started at another vertex, one vertex dropped (of rings over five), the whole moved by `shift`.
    static func disguised(_ feature: JSONValue, jitter: Double, shift: Point, using random: inout SimulationRandom) -> JSONValue? {
        guard case .object(let fields) = feature, case .object(let geometry)? = fields["geometry"],
              case .array(let rings)? = geometry["coordinates"], case .array(let ring)? = rings.first,
              case .object(let properties)? = fields["properties"], case .number(let classId)? = properties["class"] else { return nil }
        var points: [Point] = ring.dropLast().compactMap { vertex in
            guard case .array(let xy) = vertex, xy.count == 2, case .number(let x) = xy[0], case .number(let y) = xy[1] else { return nil }
            return Point(x: x + shift.x + random.gaussian(jitter), y: y + shift.y + random.gaussian(jitter))
        }
        guard points.count >= 3 else { return nil }
        let start = Int.random(in: 0..<points.count, using: &random)
        points = Array(points[start...] + points[..<start])
        if points.count > 5 { points.remove(at: Int.random(in: 0..<points.count, using: &random)) }
        return Self.feature(points, classId: Int(classId), seconds: Double(points.count) * random.uniform(1.5...3.0) + random.uniform(3...8))
    }

    static func feature(_ ring: [Point], classId: Int, seconds: Double, id: LabelID? = nil) -> JSONValue {
        let closed = ring + [ring[0]]
        var feature: [String: JSONValue] = [
            "type": .string("Feature"),
            "geometry": .object(["type": .string("Polygon"),
                                 "coordinates": .array([.array(closed.map { .array([.number($0.x), .number($0.y)]) })])]),
            "properties": .object(["class": .number(Double(classId)), "secondsSpent": .number(seconds)]),
        ]
        if let id { feature["id"] = .number(Double(id)) }
        return .object(feature)
    }

    static func centre(_ ring: [Point]) -> Point {
        Point(x: ring.map(\.x).reduce(0, +) / Double(ring.count), y: ring.map(\.y).reduce(0, +) / Double(ring.count))
    }
}
