/// Named band combinations, resolved through the band roles given at ingest.
public enum BandPreset: String, CaseIterable, Sendable {
    /// What the eye would see.
    case trueColor = "true-color"
    /// Vegetation bright red: NIR, red, green.
    case falseColor = "false-color"
    /// The burn-scar view: SWIR2, NIR, red.
    case swir

    public var roles: [String] {
        switch self {
        case .trueColor: return ["red", "green", "blue"]
        case .falseColor: return ["nir", "red", "green"]
        case .swir: return ["swir2", "nir", "red"]
        }
    }

    /// The band numbers, or nil when the scene lacks one of the roles.
    public func bands(roles known: [String: Int]) -> [Int]? {
        let bands = roles.compactMap { known[$0] }
        return bands.count == roles.count ? bands : nil
    }

    /// The presets a scene with these band roles can show.
    public static func available(roles: [String: Int]) -> [BandPreset] {
        allCases.filter { $0.bands(roles: roles) != nil }
    }
}
