import Foundation
import Testing
@testable import SwathQuality

/// The transform against its definition, and the registration through it against
/// the correlation taken shift by shift.
struct SpectrumTests {
    static func samples(_ count: Int, seed: Double) -> [Double] {
        (0..<count).flatMap { index -> [Double] in
            let t = Double(index)
            return [sin(seed * t + 0.3) + 0.2 * cos(3 * t), cos(seed * 1.7 * t) - 0.1 * t / Double(count)]
        }
    }

    @Test func fastTransformEqualsTheDefinition() {
        let input = Self.samples(64, seed: 0.37)
        for inverse in [false, true] {
            let fast = Spectrum.transform(input, inverse: inverse), direct = Spectrum.direct(input, inverse: inverse)
            #expect(zip(fast, direct).allSatisfy { abs($0 - $1) < 1e-9 })
        }
    }

    @Test func correlationAtEveryShiftEqualsTheShiftBySpectrumSum() {
        let a = Self.samples(64, seed: 0.41), b = Self.samples(64, seed: 0.29)
        // max over s of |Σ_j conj(a_j) b_(j+s)|², written out.
        var expected = 0.0
        for shift in 0..<64 {
            var re = 0.0, im = 0.0
            for j in 0..<64 {
                let k = (j + shift) % 64
                re += a[2 * j] * b[2 * k] + a[2 * j + 1] * b[2 * k + 1]
                im += a[2 * j] * b[2 * k + 1] - a[2 * j + 1] * b[2 * k]
            }
            expected = max(expected, re * re + im * im)
        }
        let found = Spectrum(a).bestCorrelation(with: Spectrum(b))
        #expect(abs(found - expected) < 1e-9 * max(1, expected))
        #expect(Spectrum(a).correlationBound(with: Spectrum(b)) >= found)
    }

    @Test func aShiftedTurnedCopyCorrelatesFullyAndMeetsItsBound() {
        let a = Self.samples(64, seed: 0.53)
        let norm = a.reduce(0) { $0 + $1 * $1 }.squareRoot()
        let unit = a.map { $0 / norm }
        // Start 11 samples later and turn by 0.7 rad: a complex factor and a cyclic shift.
        let (c, s) = (cos(0.7), sin(0.7))
        let copy = (0..<64).flatMap { index -> [Double] in
            let j = (index + 11) % 64
            return [unit[2 * j] * c - unit[2 * j + 1] * s, unit[2 * j] * s + unit[2 * j + 1] * c]
        }
        let (spectrum, copied) = (Spectrum(unit), Spectrum(copy))
        #expect(abs(spectrum.bestCorrelation(with: copied) - 1) < 1e-9)
        #expect(abs(spectrum.correlationBound(with: copied) - 1) < 1e-9)
    }
}
