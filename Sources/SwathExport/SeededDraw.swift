/// Deterministic draws in [0, 1) from a seed and a few integers (SplitMix64
/// mixing), so a split or a background sample is the same on every run and
/// on resume, whatever order chips are visited in.
public enum SeededDraw {
    public static func unit(_ values: UInt64...) -> Double {
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        for value in values {
            state = mix(state ^ value &+ 0x9E37_79B9_7F4A_7C15)
        }
        return Double(state >> 11) / Double(UInt64(1) << 53)
    }

    public static func mix(_ input: UInt64) -> UInt64 {
        var z = input &+ 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
