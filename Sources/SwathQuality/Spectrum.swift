import Foundation

/// The discrete Fourier transform of a closed outline's samples, taken as
/// complex numbers x + iy. A cyclic shift of the samples (another start
/// vertex) and a rotation or scale (a complex factor) leave the magnitudes
/// alone, which is what lets copies be compared cheaply: the correlation of
/// two outlines at every shift is one inverse transform of the product of
/// their spectra, and the magnitudes alone bound it from above.
public struct Spectrum: Sendable, Equatable {
    /// Coefficients (re, im interleaved), X_k = Σ_j z_j e^(−2πijk/n).
    public let coefficients: [Double]
    /// |X_k|.
    public let magnitudes: [Double]

    /// `interleaved` holds n points (x, y interleaved); n must be a power of two.
    public init(_ interleaved: [Double]) {
        let coefficients = Self.transform(interleaved, inverse: false)
        self.coefficients = coefficients
        magnitudes = stride(from: 0, to: coefficients.count, by: 2).map { hypot(coefficients[$0], coefficients[$0 + 1]) }
    }

    /// max over shifts s of |Σ_j conj(a_j) b_(j+s)|²: one inverse transform of conj(A)·B, over n².
    public func bestCorrelation(with other: Spectrum) -> Double {
        let n = magnitudes.count
        guard n > 0, other.magnitudes.count == n else { return 0 }
        var product = [Double](repeating: 0, count: 2 * n)
        for k in 0..<n {
            let (ar, ai) = (coefficients[2 * k], coefficients[2 * k + 1])
            let (br, bi) = (other.coefficients[2 * k], other.coefficients[2 * k + 1])
            product[2 * k] = ar * br + ai * bi
            product[2 * k + 1] = ar * bi - ai * br
        }
        let correlation = Self.transform(product, inverse: true)
        var best = 0.0
        for s in 0..<n { best = max(best, correlation[2 * s] * correlation[2 * s] + correlation[2 * s + 1] * correlation[2 * s + 1]) }
        return best / Double(n * n)
    }

    /// An upper bound of `bestCorrelation` from the magnitudes alone, (Σ_k |A_k||B_k|)² / n²: the triangle inequality on the sum above.
    public func correlationBound(with other: Spectrum) -> Double {
        let n = magnitudes.count
        guard n > 0, other.magnitudes.count == n else { return 0 }
        var sum = 0.0
        for k in 0..<n { sum += magnitudes[k] * other.magnitudes[k] }
        return sum * sum / Double(n * n)
    }

    /// Iterative radix-2 transform, unnormalised both ways (the inverse uses e^(+2πijk/n)).
    static func transform(_ input: [Double], inverse: Bool) -> [Double] {
        let n = input.count / 2
        guard n > 1, n & (n - 1) == 0 else { return Self.direct(input, inverse: inverse) }
        var data = input
        var j = 0
        for i in 0..<(n - 1) {
            if i < j { data.swapAt(2 * i, 2 * j); data.swapAt(2 * i + 1, 2 * j + 1) }
            var bit = n >> 1
            while j & bit != 0 { j ^= bit; bit >>= 1 }
            j |= bit
        }
        var length = 2
        while length <= n {
            let angle = (inverse ? 2 : -2) * Double.pi / Double(length)
            let (stepRe, stepIm) = (cos(angle), sin(angle))
            for start in stride(from: 0, to: n, by: length) {
                var (wRe, wIm) = (1.0, 0.0)
                for offset in 0..<(length / 2) {
                    let a = start + offset, b = a + length / 2
                    let tRe = data[2 * b] * wRe - data[2 * b + 1] * wIm
                    let tIm = data[2 * b] * wIm + data[2 * b + 1] * wRe
                    data[2 * b] = data[2 * a] - tRe
                    data[2 * b + 1] = data[2 * a + 1] - tIm
                    data[2 * a] += tRe
                    data[2 * a + 1] += tIm
                    (wRe, wIm) = (wRe * stepRe - wIm * stepIm, wRe * stepIm + wIm * stepRe)
                }
            }
            length <<= 1
        }
        return data
    }

    /// The transform by its definition, for lengths that are not powers of two.
    static func direct(_ input: [Double], inverse: Bool) -> [Double] {
        let n = input.count / 2
        var output = [Double](repeating: 0, count: 2 * n)
        for k in 0..<n {
            for j in 0..<n {
                let angle = (inverse ? 2 : -2) * Double.pi * Double(j * k % n) / Double(n)
                let (c, s) = (cos(angle), sin(angle))
                output[2 * k] += input[2 * j] * c - input[2 * j + 1] * s
                output[2 * k + 1] += input[2 * j] * s + input[2 * j + 1] * c
            }
        }
        return output
    }
}
