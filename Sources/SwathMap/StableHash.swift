/// FNV-1a, 64 bits, as hex: a name or cache key that is the same in every
/// process (Swift's `hashValue` is seeded per process). Not for security.
public enum StableHash {
    public static func hex(_ text: String) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3
        }
        return String(hash, radix: 16)
    }
}
