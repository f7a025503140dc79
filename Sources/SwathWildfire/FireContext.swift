import Foundation
import SwathGeo

/// The scene-wide rasters fire features are read from, made once before the
/// windows are computed (a perimeter kilometres away still sets a pixel's
/// distance): the labels rasterized with GDAL, GDAL's proximity both ways for
/// the signed distance, and a summed-area table of the burned mask for the
/// burned fractions. Immutable once made, so every thread reads it.
final class FireContext: Sendable {
    let width: Int
    let height: Int
    /// Label class per pixel (0 = unlabelled).
    let classes: [UInt8]
    let burned: [Bool]
    /// Metres from the pixel centre to the nearest centre on the other side of
    /// the perimeter, negative inside; nil when one side is empty.
    let signedDistance: [Float?]
    /// Burned pixels in rows < y and columns < x, at index y·(width+1)+x.
    private let summedArea: [UInt32]
    /// Half-sides in pixels of the 1 km and 3 km squares.
    let radius1km: Int
    let radius3km: Int

    init(labels: [BurnLabel], scene: Raster) throws {
        let size = scene.size
        (width, height) = (size.width, size.height)
        let canvas = try Raster.inMemory(matching: scene, bandCount: 1, dataType: .byte)
        // Burned last, so where a label says burned and another unburned, burned wins.
        let ordered = labels.filter { !$0.burned } + labels.filter(\.burned)
        try canvas.rasterize(ordered.map(\.geometry), values: ordered.map { Double(min(max($0.classId, 1), 255)) })
        classes = try canvas.read(canvas.bounds, as: UInt8.self)
        let burnedIds = Set(labels.filter(\.burned).map { UInt8(min(max($0.classId, 1), 255)) })
        burned = classes.map { burnedIds.contains($0) }
        // Proximity to burned pixels (outside) and to the rest (inside).
        let mask = try Raster.inMemory(matching: scene, bandCount: 1, dataType: .byte)
        try mask.write(burned.map { $0 ? UInt8(1) : 0 }, window: mask.bounds)
        let toBurned = try mask.proximity(targets: [1])
        let toUnburned = try mask.proximity(targets: [0])
        let metresPerUnit = scene.crs!.metresPerUnit
        signedDistance = zip(burned, zip(toBurned, toUnburned)).map { isBurned, distances in
            let distance = isBurned ? distances.1.map { -$0 } : distances.0
            return distance.map { Float(Double($0) * metresPerUnit) }
        }
        var table = [UInt32](repeating: 0, count: (size.width + 1) * (size.height + 1))
        for y in 0..<size.height {
            var rowSum: UInt32 = 0
            for x in 0..<size.width {
                if burned[y * size.width + x] { rowSum += 1 }
                table[(y + 1) * (size.width + 1) + x + 1] = table[y * (size.width + 1) + x + 1] + rowSum
            }
        }
        summedArea = table
        let pixel = abs(scene.geoTransform!.coefficients[1]) * metresPerUnit
        radius1km = max(Int((1000 / pixel).rounded()), 1)
        radius3km = max(Int((3000 / pixel).rounded()), 1)
    }

    /// Share of burned pixels in the square of half-side `radius` pixels
    /// around (x, y), clipped to the scene.
    func burnedFraction(x: Int, y: Int, radius: Int) -> Float {
        let x0 = max(x - radius, 0), x1 = min(x + radius + 1, width)
        let y0 = max(y - radius, 0), y1 = min(y + radius + 1, height)
        let stride = width + 1
        let count = summedArea[y1 * stride + x1] + summedArea[y0 * stride + x0] - summedArea[y0 * stride + x1] - summedArea[y1 * stride + x0]
        return Float(count) / Float((x1 - x0) * (y1 - y0))
    }
}
