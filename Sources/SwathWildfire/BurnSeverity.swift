/// USGS burn-severity classes from dNBR (Key & Benson, FIREMON), on
/// reflectance-based dNBR (not ×1000). Lower bounds are inclusive.
public enum BurnSeverity: Int, CaseIterable, Sendable {
    case enhancedRegrowth = 1
    case unburned = 2
    case low = 3
    case moderateLow = 4
    case moderateHigh = 5
    case high = 6

    public static func classify(dnbr: Double) -> BurnSeverity {
        switch dnbr {
        case ..<(-0.100): return .enhancedRegrowth
        case ..<0.100: return .unburned
        case ..<0.270: return .low
        case ..<0.440: return .moderateLow
        case ..<0.660: return .moderateHigh
        default: return .high
        }
    }
}
