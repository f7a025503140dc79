import Foundation
import SwathGeo
import SwathWildfire

/// Computes the features of a `FeatureLayout` strip by strip from one scene file. Holds its own
/// GDAL handle: one reader per thread.
final class FeatureReader: @unchecked Sendable {
    let raster: Raster
    let layout: FeatureLayout
    private let noData: [Double?]

    init(path: String, layout: FeatureLayout) throws {
        let raster = try Raster.open(path)
        guard raster.bandCount == layout.bands.bandCount else {
            throw ModelError("\(path) has \(raster.bandCount) bands; the features read \(layout.bands.bandCount)")
        }
        self.raster = raster
        self.layout = layout
        noData = (1...raster.bandCount).map { raster.bandInfo($0).noData }
    }

    var size: Size { raster.size }

    func strip(_ rows: Range<Int>) throws -> FeatureStrip {
        let width = raster.width, bandCount = layout.bands.bandCount, radius = layout.radius
        let top = max(0, rows.lowerBound - radius), bottom = min(raster.height, rows.upperBound + radius)
        let haloHeight = bottom - top, haloCount = haloHeight * width
        var planes = try raster.read(Window(col: 0, row: top, width: width, height: haloHeight), as: Double.self)
        var valid = [Bool](repeating: true, count: haloCount)
        for band in 0..<bandCount {
            for index in 0..<haloCount {
                let dn = planes[band * haloCount + index]
                if !dn.isFinite || dn == noData[band] { valid[index] = false }
                planes[band * haloCount + index] = dn * layout.scale + layout.offset
            }
        }
        let featureCount = layout.count, firstRow = rows.lowerBound - top, pixelCount = rows.count * width
        var values = [Float](repeating: .nan, count: pixelCount * featureCount)
        let roles = layout.bands.bandRoles, indices = layout.spectralIndices
        let roleBand = { (role: String) in roles[role].map { $0 - 1 } }
        let (red, nir, swir1, swir2) = (roleBand("red"), roleBand("nir"), roleBand("swir1"), roleBand("swir2"))
        for pixel in 0..<pixelCount where valid[firstRow * width + pixel] {
            let source = firstRow * width + pixel, base = pixel * featureCount
            for band in 0..<bandCount { values[base + band] = Float(planes[band * haloCount + source]) }
            let reflectance = { (band: Int?) in band.map { planes[$0 * haloCount + source] } ?? 0 }
            let (r, n, s1, s2) = (reflectance(red), reflectance(nir), reflectance(swir1), reflectance(swir2))
            for (offset, index) in indices.enumerated() {
                if let value = index.value(red: r, nir: n, swir1: s1, swir2: s2) { values[base + bandCount + offset] = Float(value) }
            }
        }
        try localStatistics(planes: planes, valid: valid, haloHeight: haloHeight, firstRow: firstRow, rows: rows.count, into: &values)
        return FeatureStrip(rows: rows, width: width, values: values, valid: Array(valid[(firstRow * width)..<(firstRow * width + pixelCount)]))
    }

    /// Each band's mean and population standard deviation over the window around each valid pixel,
    /// from summed-area tables of the valid pixels (sums in Double).
    private func localStatistics(planes: [Double], valid: [Bool], haloHeight: Int, firstRow: Int, rows: Int,
                                 into values: inout [Float]) throws {
        let width = raster.width, bandCount = layout.bands.bandCount, radius = layout.radius
        let stride = width + 1, haloCount = haloHeight * width, featureCount = layout.count
        let statisticsBase = bandCount + layout.indices.count
        var count = [Double](repeating: 0, count: (haloHeight + 1) * stride)
        var sum = count, squares = count
        for row in 0..<haloHeight {
            var running = 0.0
            for col in 0..<width {
                running += valid[row * width + col] ? 1 : 0
                count[(row + 1) * stride + col + 1] = count[row * stride + col + 1] + running
            }
        }
        for band in 0..<bandCount {
            for row in 0..<haloHeight {
                var runningSum = 0.0, runningSquares = 0.0
                for col in 0..<width {
                    if valid[row * width + col] {
                        let value = planes[band * haloCount + row * width + col]
                        runningSum += value
                        runningSquares += value * value
                    }
                    sum[(row + 1) * stride + col + 1] = sum[row * stride + col + 1] + runningSum
                    squares[(row + 1) * stride + col + 1] = squares[row * stride + col + 1] + runningSquares
                }
            }
            for row in 0..<rows {
                let haloRow = firstRow + row
                let (r0, r1) = (max(0, haloRow - radius), min(haloHeight, haloRow + radius + 1))
                for col in 0..<width where valid[haloRow * width + col] {
                    let (c0, c1) = (max(0, col - radius), min(width, col + radius + 1))
                    let area = { (table: [Double]) in table[r1 * stride + c1] - table[r0 * stride + c1] - table[r1 * stride + c0] + table[r0 * stride + c0] }
                    let n = area(count), mean = area(sum) / n
                    let variance = max(0, area(squares) / n - mean * mean)
                    let base = (row * width + col) * featureCount + statisticsBase + 2 * band
                    values[base] = Float(mean)
                    values[base + 1] = Float(variance.squareRoot())
                }
            }
        }
    }
}
