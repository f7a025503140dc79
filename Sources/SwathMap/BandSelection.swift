/// The `bands=` of a tile request: a preset name, one band (grey), three
/// band numbers (red, green, blue), or nothing (true colour when the scene's
/// band roles allow, else its first three bands, else its first band).
public enum BandSelection: Hashable, Sendable {
    case automatic
    case preset(BandPreset)
    case explicit([Int])

    public init(parameter: String?) throws {
        guard let parameter, !parameter.isEmpty else { self = .automatic; return }
        if let preset = BandPreset(rawValue: parameter) { self = .preset(preset); return }
        let parts = parameter.split(separator: ",", omittingEmptySubsequences: false)
        let numbers = parts.compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }
        guard numbers.count == parts.count, numbers.count == 1 || numbers.count == 3 else {
            let presets = BandPreset.allCases.map(\.rawValue).joined(separator: ", ")
            throw MapTileError.badRequest("bands must be one or three band numbers (e.g. 4,3,2) or a preset (\(presets)), got '\(parameter)'")
        }
        self = .explicit(numbers)
    }

    /// Band numbers for a scene with `bandCount` bands and these roles.
    public func bands(roles: [String: Int], bandCount: Int) throws -> [Int] {
        switch self {
        case .automatic:
            if let bands = BandPreset.trueColor.bands(roles: roles) { return bands }
            return bandCount >= 3 ? [1, 2, 3] : [1]
        case .preset(let preset):
            guard let bands = preset.bands(roles: roles) else {
                let missing = preset.roles.filter { roles[$0] == nil }.joined(separator: ", ")
                throw MapTileError.badRequest("the \(preset.rawValue) preset needs the band role(s) \(missing), which this scene was not given at ingest")
            }
            return bands
        case .explicit(let bands):
            if let wrong = bands.first(where: { !(1...bandCount).contains($0) }) {
                throw MapTileError.badRequest("band \(wrong) does not exist: the scene has bands 1–\(bandCount)")
            }
            return bands
        }
    }
}
