/// The spectral indices, on surface reflectance, in Double (the bands cancel
/// each other, so Float32 arithmetic would lose digits). Each returns nil where
/// its denominator is zero or its result is not finite (written as nodata).
public enum SpectralIndex: String, CaseIterable, Sendable {
    case ndvi, nbr, nbr2, ndmi, evi2

    /// The band roles an index reads.
    public var roles: [String] {
        switch self {
        case .ndvi: return ["nir", "red"]
        case .nbr: return ["nir", "swir2"]
        case .nbr2: return ["swir1", "swir2"]
        case .ndmi: return ["nir", "swir1"]
        case .evi2: return ["nir", "red"]
        }
    }

    public var formula: String {
        switch self {
        case .ndvi: return "(NIR − Red) / (NIR + Red)"
        case .nbr: return "(NIR − SWIR2) / (NIR + SWIR2)"
        case .nbr2: return "(SWIR1 − SWIR2) / (SWIR1 + SWIR2)"
        case .ndmi: return "(NIR − SWIR1) / (NIR + SWIR1)"
        case .evi2: return "2.5 (NIR − Red) / (NIR + 2.4 Red + 1)"
        }
    }

    /// `value(reflectance)` with reflectance looked up by role.
    @inline(__always)
    public func value(red: Double, nir: Double, swir1: Double, swir2: Double) -> Double? {
        switch self {
        case .ndvi: return Self.normalizedDifference(nir, red)
        case .nbr: return Self.normalizedDifference(nir, swir2)
        case .nbr2: return Self.normalizedDifference(swir1, swir2)
        case .ndmi: return Self.normalizedDifference(nir, swir1)
        case .evi2: return Self.finite(2.5 * (nir - red) / (nir + 2.4 * red + 1))
        }
    }

    @inline(__always)
    static func normalizedDifference(_ a: Double, _ b: Double) -> Double? {
        let sum = a + b
        return sum == 0 ? nil : finite((a - b) / sum)
    }

    @inline(__always)
    static func finite(_ value: Double) -> Double? { value.isFinite ? value : nil }
}
