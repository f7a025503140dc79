import Foundation
import SwathGeo

/// A polygon's shape with everything a copier can change taken out: where it
/// starts and which way it runs, how many vertices it has, where it is, how
/// it is turned and (within reason) how big. The outer ring, in the scene's
/// pixels, is resampled at `sampleCount` points evenly spaced along its
/// length, centred and scaled to unit norm, so two signatures compare by a
/// registered residual: 1 − |⟨a, b⟩|² at the best cyclic shift, the share of
/// one outline that the best rotation and scale of the other cannot explain.
///
/// Jitter of σ pixels per vertex leaves a residual that grows with σ/R (R
/// the outline's RMS radius), so the tolerance for a copy grows as the
/// shape shrinks. Near-discs and near-rectangles are *standard*: different objects
/// drawn honestly fall within that tolerance of each other, so a standard
/// shape matching is only a coincidence, never evidence on its own.
public struct ShapeSignature: Sendable, Equatable {
    public static let sampleCount = 64

    /// Unit-norm samples (x, y interleaved), counter-clockwise in pixel space.
    public let samples: [Double]
    /// Area in square pixels.
    public let area: Double
    /// RMS distance of the samples from their centroid, in pixels.
    public let rmsRadius: Double
    /// The residual against the best ellipse (the samples' first harmonics).
    public let ellipseResidual: Double
    /// Area over the area of the bounding box along the principal axes (1 for a rectangle).
    public let boxFill: Double
    /// Centroid of the samples, in the scene's pixels.
    public let centre: Point
    /// The outer ring's vertices relative to `centre` (x, y interleaved, pixels), at most `maximumOutline` of them:
    /// what tells a copy of a near-disc from another near-disc (see `vertexDistance`).
    public let outline: [Double]
    public static let maximumOutline = 128
    /// The samples' Fourier transform (derived, not stored): registration by one inverse transform, and a cheap bound first.
    public let spectrum: Spectrum

    public init(samples: [Double], area: Double, rmsRadius: Double, ellipseResidual: Double, boxFill: Double, centre: Point,
                outline: [Double]) {
        self.samples = samples
        self.outline = outline
        self.area = area
        self.rmsRadius = rmsRadius
        self.ellipseResidual = ellipseResidual
        self.boxFill = boxFill
        self.centre = centre
        spectrum = Spectrum(samples)
    }

    /// The outer ring of the largest polygon of `pixelShape` (the label in scene pixels); nil when degenerate.
    public init?(pixelShape: MultiPolygon) {
        guard let largest = pixelShape.polygons.max(by: { MultiPolygon($0).area < MultiPolygon($1).area }),
              var ring = largest.rings.first, ring.count >= 4 else { return nil }
        if ring.first == ring.last { ring.removeLast() }
        let signed = Self.signedArea(ring)
        guard signed.isFinite, abs(signed) > 0 else { return nil }
        if signed < 0 { ring.reverse() }
        guard let resampled = Self.resample(ring, count: Self.sampleCount) else { return nil }
        let cx = resampled.map(\.x).reduce(0, +) / Double(resampled.count)
        let cy = resampled.map(\.y).reduce(0, +) / Double(resampled.count)
        let centred = resampled.map { Point(x: $0.x - cx, y: $0.y - cy) }
        let norm = centred.reduce(0.0) { $0 + $1.x * $1.x + $1.y * $1.y }.squareRoot()
        guard norm > 0 else { return nil }
        samples = centred.flatMap { [$0.x / norm, $0.y / norm] }
        area = abs(signed)
        rmsRadius = norm / Double(centred.count).squareRoot()
        centre = Point(x: cx, y: cy)
        outline = ring.count <= Self.maximumOutline ? ring.flatMap { [$0.x - cx, $0.y - cy] } : []
        let spectrum = Spectrum(samples)
        self.spectrum = spectrum
        ellipseResidual = Self.ellipseResidual(spectrum)
        boxFill = Self.boxFill(centred, area: abs(signed))
    }

    /// Jitter a copy may carry: 1.5 px (standard deviation, each coordinate of each vertex), what a copier adds to dodge an exact match.
    public static let copyJitter = 1.5
    /// A copy's residual grows with j = jitter / R as 5j² + 0.15j: the quadratic term is the
    /// jitter itself, the linear one the drift it causes along the resampled outline. Fitted
    /// above the largest residual of 300 jittered, restarted copies of a 16-lobe outline at
    /// R = 23, 46 and 91 px (largest 6.3, 7.7 and 12.5 j²; medians 2.0, 2.6 and 3.1 j²).
    static let quadraticFactor = 5.0
    static let linearFactor = 0.15

    /// The residual under which `other` can be this outline redrawn with `copyJitter` (see the type's note).
    public func tolerance(with other: ShapeSignature) -> Double {
        Self.tolerance(radius: min(rmsRadius, other.rmsRadius))
    }

    static func tolerance(radius: Double) -> Double {
        let relative = copyJitter / max(radius, 0.5)
        return min(0.5, quadraticFactor * relative * relative + linearFactor * relative)
    }

    /// A near-disc or near-rectangle: a match of it is a coincidence, not evidence. Distinctive
    /// means the outline departs from its best ellipse by twice what a copy's jitter can explain.
    public var isStandard: Bool {
        boxFill >= 0.9 || ellipseResidual < 2 * Self.tolerance(radius: rmsRadius)
    }

    /// Whether `other` can be this outline copied: areas within 25% and the registered residual within tolerance.
    /// The spectra's magnitudes bound the residual from below, so most candidates are turned away without registering them.
    public func matches(_ other: ShapeSignature) -> Bool {
        guard other.area > 0, (0.8...1.25).contains(area / other.area) else { return false }
        let tolerance = tolerance(with: other)
        guard 1 - spectrum.correlationBound(with: other.spectrum) <= tolerance else { return false }
        return residual(to: other) <= tolerance
    }

    /// 1 − |⟨a, b⟩|² at the best cyclic shift of `other`'s samples (all shifts at once, through the spectra).
    public func residual(to other: ShapeSignature) -> Double {
        guard other.samples.count == samples.count, !samples.isEmpty else { return 1 }
        return max(0, 1 - spectrum.bestCorrelation(with: other.spectrum))
    }

    /// Outlines further apart than this at the vertices (pixels) are not one copied from the other.
    public static let vertexTolerance = 3.0

    /// The mean distance from each vertex to the nearest vertex of the other outline, both ways (the larger),
    /// leaving out each way's farthest vertex (a copier's dropped or added one), centres aligned, at the best
    /// turn within ±6°; nil when either outline was too long to keep. A copy jittered by 1.5–2 px sits 2–2.5 px
    /// away; another near-disc of the same size, about half a vertex spacing.
    public func vertexDistance(to other: ShapeSignature) -> Double? {
        guard !outline.isEmpty, !other.outline.isEmpty else { return nil }
        let mine = stride(from: 0, to: outline.count, by: 2).map { (outline[$0], outline[$0 + 1]) }
        var best = Double.infinity
        for step in -3...3 {
            let angle = Double(step) * 2 * .pi / 180
            let (c, s) = (cos(angle), sin(angle))
            let turned = stride(from: 0, to: other.outline.count, by: 2).map {
                (other.outline[$0] * c - other.outline[$0 + 1] * s, other.outline[$0] * s + other.outline[$0 + 1] * c)
            }
            best = min(best, max(Self.trimmedMeanNearest(mine, turned), Self.trimmedMeanNearest(turned, mine)))
        }
        return best
    }

    /// Mean nearest-vertex distance from `from` to `to`, the largest left out (when there are more than three).
    static func trimmedMeanNearest(_ from: [(Double, Double)], _ to: [(Double, Double)]) -> Double {
        var distances = from.map { point in to.reduce(Double.infinity) { min($0, hypot($1.0 - point.0, $1.1 - point.1)) } }
        if distances.count > 3, let largest = distances.indices.max(by: { distances[$0] < distances[$1] }) { distances.remove(at: largest) }
        return distances.reduce(0, +) / Double(distances.count)
    }

    static func signedArea(_ ring: [Point]) -> Double {
        var sum = 0.0
        for index in ring.indices {
            let a = ring[index], b = ring[(index + 1) % ring.count]
            sum += a.x * b.y - b.x * a.y
        }
        return sum / 2
    }

    /// `count` points evenly spaced along the closed ring, from its first vertex.
    static func resample(_ ring: [Point], count: Int) -> [Point]? {
        let edges = ring.indices.map { index -> Double in
            let a = ring[index], b = ring[(index + 1) % ring.count]
            return hypot(b.x - a.x, b.y - a.y)
        }
        let length = edges.reduce(0, +)
        guard length > 0, length.isFinite else { return nil }
        var points: [Point] = []
        var edge = 0, walked = 0.0
        for step in 0..<count {
            let target = length * Double(step) / Double(count)
            while edge < edges.count - 1, walked + edges[edge] < target {
                walked += edges[edge]
                edge += 1
            }
            let a = ring[edge], b = ring[(edge + 1) % ring.count]
            let t = edges[edge] > 0 ? min(1, max(0, (target - walked) / edges[edge])) : 0
            points.append(Point(x: a.x + t * (b.x - a.x), y: a.y + t * (b.y - a.y)))
        }
        return points
    }

    /// What the first harmonics (an ellipse traced once) leave unexplained of unit-norm samples: by Parseval,
    /// 1 − (|X₁|² + |X₋₁|²) / n.
    static func ellipseResidual(_ spectrum: Spectrum) -> Double {
        let magnitudes = spectrum.magnitudes, n = magnitudes.count
        guard n > 1 else { return 1 }
        return max(0, 1 - (magnitudes[1] * magnitudes[1] + magnitudes[n - 1] * magnitudes[n - 1]) / Double(n))
    }

    /// Area over the bounding box along the principal axes of the samples.
    static func boxFill(_ centred: [Point], area: Double) -> Double {
        var sxx = 0.0, syy = 0.0, sxy = 0.0
        for point in centred { sxx += point.x * point.x; syy += point.y * point.y; sxy += point.x * point.y }
        let angle = 0.5 * atan2(2 * sxy, sxx - syy)
        let (c, s) = (cos(angle), sin(angle))
        let u = centred.map { $0.x * c + $0.y * s }, v = centred.map { -$0.x * s + $0.y * c }
        guard let minU = u.min(), let maxU = u.max(), let minV = v.min(), let maxV = v.max() else { return 0 }
        let box = (maxU - minU) * (maxV - minV)
        return box > 0 ? min(1, area / box) : 0
    }
}

extension ShapeSignature {
    /// The numbers a store keeps: the samples, then area, RMS radius, ellipse residual, box fill, centre, and the outline.
    public var packed: [Double] { samples + [area, rmsRadius, ellipseResidual, boxFill, centre.x, centre.y] + outline }

    public init?(packed: [Double]) {
        let count = 2 * Self.sampleCount
        guard packed.count >= count + 6, (packed.count - count - 6) % 2 == 0,
              packed.count - count - 6 <= 2 * Self.maximumOutline else { return nil }
        self.init(samples: Array(packed[0..<count]), area: packed[count], rmsRadius: packed[count + 1], ellipseResidual: packed[count + 2],
                  boxFill: packed[count + 3], centre: Point(x: packed[count + 4], y: packed[count + 5]), outline: Array(packed[(count + 6)...]))
    }
}
