import Foundation
import SwathGeo

/// A polygon's shape, ready to catch copies: the same or near-same outline
/// submitted twice, whatever its vertex order, starting vertex or position
/// (a polygon pasted into another task or scene is moved, not redrawn).
/// `key` buckets candidates cheaply; `isNearCopy` decides, by aligning the
/// centroids and every cyclic start in both directions and taking the
/// largest vertex distance.
public struct ShapeFingerprint: Sendable, Hashable {
    /// Exterior ring without the closing vertex, counter-clockwise, relative to its centroid.
    let vertices: [Point]
    public let area: Double
    public let perimeter: Double

    /// The exterior ring of the largest part; nil for an empty or degenerate shape.
    public init?(_ shape: MultiPolygon) {
        guard let largest = shape.polygons.max(by: { MultiPolygon($0).area < MultiPolygon($1).area }),
              var ring = largest.rings.first, ring.count >= 4 else { return nil }
        if ring.first == ring.last { ring.removeLast() }
        let signed = zip(ring, ring.dropFirst() + [ring[0]]).reduce(0.0) { $0 + ($1.0.x * $1.1.y - $1.1.x * $1.0.y) } / 2
        guard signed != 0 else { return nil }
        if signed < 0 { ring.reverse() }
        let cx = ring.map(\.x).reduce(0, +) / Double(ring.count), cy = ring.map(\.y).reduce(0, +) / Double(ring.count)
        vertices = ring.map { Point(x: $0.x - cx, y: $0.y - cy) }
        area = abs(signed)
        perimeter = zip(ring, ring.dropFirst() + [ring[0]]).reduce(0.0) { $0 + hypot($1.1.x - $1.0.x, $1.1.y - $1.0.y) }
    }

    /// Candidates for a copy share a key: the vertex count and the area and
    /// outline length rounded to buckets of `tolerance` (in the CRS's units).
    /// Check the neighbouring buckets too, since a tiny change can cross a boundary.
    public func key(tolerance: Double) -> [Int] {
        [vertices.count, Int((area / max(tolerance * perimeter, 1e-9)).rounded()), Int((perimeter / (4 * tolerance)).rounded())]
    }

    /// Whether `other` is this outline again: same vertex count and, at the
    /// best cyclic alignment, every vertex within `tolerance`.
    public func isNearCopy(of other: ShapeFingerprint, tolerance: Double) -> Bool {
        guard vertices.count == other.vertices.count else { return false }
        let n = vertices.count
        for start in 0..<n {
            var worst = 0.0
            for index in 0..<n {
                let a = vertices[index], b = other.vertices[(start + index) % n]
                worst = max(worst, hypot(a.x - b.x, a.y - b.y))
                if worst > tolerance { break }
            }
            if worst <= tolerance { return true }
        }
        return false
    }
}
