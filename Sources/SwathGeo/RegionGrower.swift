/// Grows a region from a seed pixel over a multi-band window (band-sequential planes): the pixels
/// 4-connected to the seed whose spectrum lies within `tolerance` of the seed's, in standard
/// deviations of each band over the window (root mean square over bands). Nodata pixels never join.
public enum RegionGrower {
    public static func grow(planes: [Float], bands: Int, size: Size, seed: (col: Int, row: Int), tolerance: Double,
                            noData: [Float?]) -> [Bool] {
        let count = size.width * size.height
        guard bands > 0, planes.count == count * bands, (0..<size.width).contains(seed.col), (0..<size.height).contains(seed.row) else {
            return [Bool](repeating: false, count: count)
        }
        func valid(_ band: Int, _ value: Float) -> Bool { value.isFinite && value != noData[band] }
        var scales = [Double](repeating: 1, count: bands)
        for band in 0..<bands {
            var sum = 0.0, squares = 0.0, n = 0.0
            for value in planes[(band * count)..<((band + 1) * count)] where valid(band, value) {
                sum += Double(value)
                squares += Double(value) * Double(value)
                n += 1
            }
            let variance = n > 1 ? max(0, squares / n - (sum / n) * (sum / n)) : 0
            scales[band] = variance > 0 ? 1 / variance.squareRoot() : 0
        }
        let start = seed.row * size.width + seed.col
        let reference = (0..<bands).map { Double(planes[$0 * count + start]) }
        let limit = tolerance * tolerance * Double(bands)
        func close(_ index: Int) -> Bool {
            var distance = 0.0
            for band in 0..<bands {
                let value = planes[band * count + index]
                guard valid(band, value) else { return false }
                let difference = (Double(value) - reference[band]) * scales[band]
                distance += difference * difference
            }
            return distance <= limit
        }
        var mask = [Bool](repeating: false, count: count)
        guard close(start) else { return mask }
        var stack = [start]
        mask[start] = true
        while let index = stack.popLast() {
            let (row, col) = index.quotientAndRemainder(dividingBy: size.width)
            for (dr, dc) in [(-1, 0), (1, 0), (0, -1), (0, 1)] {
                let (r, c) = (row + dr, col + dc)
                guard r >= 0, r < size.height, c >= 0, c < size.width else { continue }
                let next = r * size.width + c
                if !mask[next], close(next) {
                    mask[next] = true
                    stack.append(next)
                }
            }
        }
        return mask
    }

    /// Fills the holes of `mask` (regions outside it that do not reach the window's edge, 4-connected)
    /// smaller than `pixels`.
    public static func fillHoles(_ mask: inout [Bool], size: Size, smallerThan pixels: Int) {
        var seen = [Bool](repeating: false, count: mask.count)
        for start in mask.indices where !mask[start] && !seen[start] {
            var region = [start], stack = [start], touchesEdge = false
            seen[start] = true
            while let index = stack.popLast() {
                let (row, col) = index.quotientAndRemainder(dividingBy: size.width)
                if row == 0 || col == 0 || row == size.height - 1 || col == size.width - 1 { touchesEdge = true }
                for (dr, dc) in [(-1, 0), (1, 0), (0, -1), (0, 1)] {
                    let (r, c) = (row + dr, col + dc)
                    guard r >= 0, r < size.height, c >= 0, c < size.width else { continue }
                    let next = r * size.width + c
                    if !mask[next], !seen[next] {
                        seen[next] = true
                        stack.append(next)
                        region.append(next)
                    }
                }
            }
            if !touchesEdge, region.count < pixels { for index in region { mask[index] = true } }
        }
    }
}
