import Foundation
import SwathGeo

/// One object of the simulated scene's ground truth, in its tile's pixels
/// ((0, 0) is the tile's top-left corner, as the API's `crs=pixel` says).
struct TruthObject: Sendable {
    var classId: Int
    /// Exterior ring without the closing vertex.
    var vertices: [Point]

    var polygon: MultiPolygon { MultiPolygon(Polygon(rings: [vertices + [vertices[0]]])) }
    var area: Double { polygon.area }

    /// A star-shaped polygon (every vertex seen from the centre), so never self-intersecting.
    static func random(centre: Point, radius: Double, classId: Int, using random: inout SimulationRandom) -> TruthObject {
        let count = Int.random(in: 5...9, using: &random)
        let turn = random.uniform(0...(2 * .pi))
        let vertices = (0..<count).map { index -> Point in
            let angle = turn + 2 * .pi * Double(index) / Double(count)
            let reach = radius * random.uniform(0.7...1.0)
            return Point(x: centre.x + reach * cos(angle), y: centre.y - reach * sin(angle))
        }
        return TruthObject(classId: classId, vertices: vertices)
    }
}
