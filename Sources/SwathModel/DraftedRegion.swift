import Foundation
import SwathGeo

/// A region of equal value in a classed grid, drafted as a pre-label: GDAL's polygonize
/// (8-connected), simplified by at most half a pixel (GEOS), self-touching rings repaired. The
/// burn-scar and classifier drafts both go through it.
struct DraftedRegion {
    var value: Int
    var outline: MultiPolygon
    /// The region before simplification: its bounds find its pixels.
    var pixels: MultiPolygon

    /// The regions of the grid's nonzero values that `keep` accepts.
    static func draft(_ grid: Raster, transform: GeoTransform, keep: (Int) -> Bool) throws -> [DraftedRegion] {
        let tolerance = 0.5 * min(hypot(transform.coefficients[1], transform.coefficients[4]),
                                  hypot(transform.coefficients[2], transform.coefficients[5]))
        return try grid.polygonize().filter { keep($0.value) }.map { region in
            DraftedRegion(value: region.value, outline: try region.shape.simplified(tolerance: tolerance).repaired(), pixels: region.shape)
        }
    }

    /// The mean of `sample` (a pixel index of a grid of `size` → its value, nil to leave it out) over
    /// the pixels inside the region's bounds; 0 when none counts.
    func mean(size: Size, transform: GeoTransform, _ sample: (Int) -> Double?) -> Double {
        guard let window = transform.pixelWindow(covering: pixels, in: size) else { return 0 }
        var sum = 0.0, count = 0
        for row in window.row..<(window.row + window.height) {
            for index in (row * size.width + window.col)..<(row * size.width + window.col + window.width) {
                guard let value = sample(index) else { continue }
                sum += value
                count += 1
            }
        }
        return count > 0 ? sum / Double(count) : 0
    }
}
