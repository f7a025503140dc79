import SwathLabels

/// The bands a model was trained on: how many, of which type, and which role each plays. A model
/// applies only to scenes with the same layout (band 3 of another sensor is not band 3 of this one).
public struct BandLayout: Codable, Equatable, Sendable, CustomStringConvertible {
    public var bandCount: Int
    public var dataType: String
    /// Role → 1-based band (red, nir, swir1, …); may be empty.
    public var bandRoles: [String: Int]

    public init(bandCount: Int, dataType: String, bandRoles: [String: Int]) {
        self.bandCount = bandCount
        self.dataType = dataType
        self.bandRoles = bandRoles
    }

    public init(_ scene: Scene) {
        self.init(bandCount: scene.bandCount, dataType: scene.dataType, bandRoles: scene.bandRoles)
    }

    /// "4 × UInt16 bands (blue=1, green=2, red=3, nir=4)".
    public var description: String {
        let roles = bandRoles.sorted { $0.value < $1.value || ($0.value == $1.value && $0.key < $1.key) }
            .map { "\($0.key)=\($0.value)" }.joined(separator: ", ")
        return "\(bandCount) × \(dataType) bands (\(roles.isEmpty ? "no band roles" : roles))"
    }
}
