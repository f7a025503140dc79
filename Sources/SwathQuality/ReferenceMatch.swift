import Foundation
import SwathGeo

/// Whether a drawn outline is a reference feature pasted in: on the same
/// ground (centres at most `maximumShift` pixels apart), overlapping it at
/// IoU ≥ `minimumIoU` once the shift is taken out, and every vertex on one of
/// the reference's vertices (within `vertexTolerance`). An honest tracing of
/// the same building can reach the IoU (the reference is accurate), and its
/// vertices can all lie near the reference's edges (a building has few); it
/// never puts every click within a quarter pixel of someone else's corners.
/// Both shapes in the scene's pixels.
public struct ReferenceMatch: Sendable {
    public var maximumShift = 4.0
    public var minimumIoU = 0.9
    public var vertexTolerance = 0.25

    public struct Found: Sendable, Equatable {
        public var iou: Double
        public var shift: Double
        public var worstVertex: Double
    }

    public init() {}

    public func match(drawn: MultiPolygon, reference: MultiPolygon) throws -> Found? {
        guard let a = Self.centroid(drawn), let b = Self.centroid(reference) else { return nil }
        let (dx, dy) = (a.x - b.x, a.y - b.y)
        let shift = hypot(dx, dy)
        guard shift <= maximumShift else { return nil }
        let moved = reference.map { Point(x: $0.x + dx, y: $0.y + dy) }
        let shared = try drawn.intersection(moved).area
        let union = drawn.area + moved.area - shared
        guard union > 0 else { return nil }
        let iou = shared / union
        guard iou >= minimumIoU else { return nil }
        let corners = moved.allPoints
        let worst = drawn.allPoints.reduce(0.0) { worst, point in
            max(worst, corners.reduce(Double.infinity) { min($0, hypot($1.x - point.x, $1.y - point.y)) })
        }
        guard worst <= vertexTolerance else { return nil }
        return Found(iou: iou, shift: shift, worstVertex: worst)
    }

    /// The area-weighted centroid of the outer rings (shoelace).
    static func centroid(_ shape: MultiPolygon) -> Point? {
        var area = 0.0, cx = 0.0, cy = 0.0
        for polygon in shape.polygons {
            guard let ring = polygon.rings.first, ring.count >= 4 else { continue }
            for index in 0..<(ring.count - 1) {
                let p = ring[index], q = ring[index + 1]
                let cross = p.x * q.y - q.x * p.y
                area += cross
                cx += (p.x + q.x) * cross
                cy += (p.y + q.y) * cross
            }
        }
        guard area != 0 else { return nil }
        return Point(x: cx / (3 * area), y: cy / (3 * area))
    }
}
