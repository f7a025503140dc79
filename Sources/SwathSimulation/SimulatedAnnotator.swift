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

    var label: String { kind?.rawValue ?? "honest" }

    /// An honest tracing of the tile's objects; `preLabels` (id, class, centroid) are edited rather than drawn anew.
    func trace(_ objects: [TruthObject], preLabels: [(id: LabelID, classId: Int, centre: Point)], secondsPerVertex: ClosedRange<Double>,
               secondsPerObject: ClosedRange<Double> = 3...8, using random: inout SimulationRandom) -> [JSONValue] {
        var features: [JSONValue] = []
        for object in objects {
            let small = object.area < 300
            if random.chance(small ? missSmall : missSmall / 10) { continue }
            var classId = object.classId
            if random.chance(confusion) { classId = SimulatedScene.classes.filter { $0 != object.classId }.randomElement(using: &random)! }
            let ring = object.vertices.map { Point(x: $0.x + random.gaussian(jitter), y: $0.y + random.gaussian(jitter)) }
            let centre = Self.centre(object.vertices)
            let edited = preLabels.first { hypot($0.centre.x - centre.x, $0.centre.y - centre.y) < 6 }
            let seconds = Double(ring.count) * random.uniform(secondsPerVertex) + random.uniform(secondsPerObject)
            features.append(Self.feature(ring, classId: classId, seconds: seconds, id: edited?.id))
        }
        return features
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
