import Foundation
import SwathGeo

/// A polygon's shape, ready to catch copies: the same or near-same outline
/// submitted twice, whatever its vertex order, starting vertex or position
/// (a polygon pasted into another task or scene is moved, not redrawn).
/// `perimeterBucket` narrows the candidates cheaply (a store can index it);
/// `isNearCopy` decides, by aligning the centroids and trying every cyclic
/// start, and taking the largest vertex distance.
public struct ShapeFingerprint: Sendable, Hashable {
    /// Exterior ring without the closing vertex, counter-clockwise, relative to its centroid.
    public let vertices: [Point]
    /// Where the shape is (vertex centroid), in its CRS.
    public let centroid: Point
    public let area: Double
    public let perimeter: Double

    /// A fingerprint read back from storage.
    public init(vertices: [Point], centroid: Point) {
        self.vertices = vertices
        self.centroid = centroid
        let closed = zip(vertices, vertices.dropFirst() + vertices.prefix(1))
        area = abs(closed.reduce(0.0) { $0 + ($1.0.x * $1.1.y - $1.1.x * $1.0.y) } / 2)
        perimeter = closed.reduce(0.0) { $0 + hypot($1.1.x - $1.0.x, $1.1.y - $1.0.y) }
    }

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
        centroid = Point(x: cx, y: cy)
        area = abs(signed)
        perimeter = zip(ring, ring.dropFirst() + [ring[0]]).reduce(0.0) { $0 + hypot($1.1.x - $1.0.x, $1.1.y - $1.0.y) }
    }

    /// The outline's length in buckets `2·n·tolerance` wide: moving each of n
    /// vertices by at most `tolerance` changes the length by at most that
    /// much, so a near copy is in the same bucket or a neighbouring one.
    public func perimeterBucket(tolerance: Double) -> Int {
        Int((perimeter / (2 * Double(vertices.count) * tolerance)).rounded(.down))
    }

    /// The farthest and nearest vertex from the centroid, in buckets `2·tolerance` wide. A near copy has every
    /// vertex within `tolerance` of the original's (centroids aligned), so each distance changes by at most that
    /// much and falls in the same bucket or a neighbouring one: with the perimeter, a key that sets apart
    /// outlines of one size that the perimeter alone cannot.
    public func radiusBuckets(tolerance: Double) -> (reach: Int, inner: Int) {
        let radii = vertices.map { hypot($0.x, $0.y) }
        let width = 2 * tolerance
        return (Int(((radii.max() ?? 0) / width).rounded(.down)), Int(((radii.min() ?? 0) / width).rounded(.down)))
    }

    /// How far this shape sits from `other` (centroid to centroid).
    public func distance(to other: ShapeFingerprint) -> Double {
        hypot(centroid.x - other.centroid.x, centroid.y - other.centroid.y)
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
