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

    /// The features of whole rows, or with `selection` (offsets into the rows, ascending) of those
    /// pixels only: training needs a few pixels of each strip, prediction all of them.
    func strip(_ rows: Range<Int>, selection: [Int]? = nil) throws -> FeatureStrip {
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
        let featureCount = layout.count, firstRow = rows.lowerBound - top
        let count = selection?.count ?? rows.count * width
        let pixel = { (index: Int) in selection?[index] ?? index }
        var values = [Float](repeating: .nan, count: count * featureCount)
        let roles = layout.bands.bandRoles, indices = layout.spectralIndices
        let roleBand = { (role: String) in roles[role].map { $0 - 1 } }
        let (red, nir, swir1, swir2) = (roleBand("red"), roleBand("nir"), roleBand("swir1"), roleBand("swir2"))
        var validOut = [Bool](repeating: false, count: count)
        for index in 0..<count {
            let source = firstRow * width + pixel(index)
            guard valid[source] else { continue }
            validOut[index] = true
            let base = index * featureCount
            for band in 0..<bandCount { values[base + band] = Float(planes[band * haloCount + source]) }
            let reflectance = { (band: Int?) in band.map { planes[$0 * haloCount + source] } ?? 0 }
            let (r, n, s1, s2) = (reflectance(red), reflectance(nir), reflectance(swir1), reflectance(swir2))
            for (offset, spectral) in indices.enumerated() {
                if let value = spectral.value(red: r, nir: n, swir1: s1, swir2: s2) { values[base + bandCount + offset] = Float(value) }
            }
        }
        try localStatistics(planes: planes, valid: valid, haloHeight: haloHeight, firstRow: firstRow, count: count, pixel: pixel,
                            into: &values)
        return FeatureStrip(rows: rows, width: width, values: values, valid: validOut)
    }

    /// Each band's mean and population standard deviation over the window around each valid pixel,
    /// from summed-area tables of the valid pixels (sums in Double).
    private func localStatistics(planes: [Double], valid: [Bool], haloHeight: Int, firstRow: Int, count: Int, pixel: (Int) -> Int,
                                 into values: inout [Float]) throws {
        let width = raster.width, bandCount = layout.bands.bandCount, radius = layout.radius
        let stride = width + 1, haloCount = haloHeight * width, featureCount = layout.count
        let statisticsBase = bandCount + layout.indices.count
        var counts = [Double](repeating: 0, count: (haloHeight + 1) * stride)
        var sum = counts, squares = counts
        for row in 0..<haloHeight {
            var running = 0.0
            for col in 0..<width {
                running += valid[row * width + col] ? 1 : 0
                counts[(row + 1) * stride + col + 1] = counts[row * stride + col + 1] + running
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
            for index in 0..<count {
                let offset = pixel(index), haloRow = firstRow + offset / width, col = offset % width
                guard valid[haloRow * width + col] else { continue }
                let (r0, r1) = (max(0, haloRow - radius), min(haloHeight, haloRow + radius + 1))
                let (c0, c1) = (max(0, col - radius), min(width, col + radius + 1))
                let area = { (table: [Double]) in table[r1 * stride + c1] - table[r0 * stride + c1] - table[r1 * stride + c0] + table[r0 * stride + c0] }
                let n = area(counts), mean = area(sum) / n
                let variance = max(0, area(squares) / n - mean * mean)
                let base = index * featureCount + statisticsBase + 2 * band
                values[base] = Float(mean)
                values[base + 1] = Float(variance.squareRoot())
            }
        }
    }
}
