import Synchronization

/// Where the queue's random choices come from: the system's generator, or a
/// seeded one (SplitMix64) so a simulation replays the same claims.
final class ClaimRandom: Sendable {
    private let state: Mutex<UInt64?>

    init(seed: UInt64?) {
        state = Mutex(seed)
    }

    private func next() -> UInt64 {
        state.withLock { state in
            guard let current = state else { return UInt64.random(in: .min ... .max) }
            let advanced = current &+ 0x9E37_79B9_7F4A_7C15
            state = advanced
            var z = advanced
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    /// Uniform in [0, 1).
    func unit() -> Double { Double(next() >> 11) / Double(UInt64(1) << 53) }

    /// Uniform in `range`.
    func pick(_ range: ClosedRange<Int64>) -> Int64 {
        let span = UInt64(bitPattern: range.upperBound &- range.lowerBound) &+ 1
        return span == 0 ? Int64(bitPattern: next()) : range.lowerBound &+ Int64(bitPattern: next() % span)
    }
}
