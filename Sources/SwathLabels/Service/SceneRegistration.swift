import Foundation

/// What a manager sends to register a scene.
public struct SceneRegistration: Decodable, Sendable {
    public var uri: String
    public var acquiredAt: Date?
    public var sensor: String?
    public var bandRoles: [String: Int]?
    public var preEventSceneId: SceneID?
    public var tileSize: Int?
    public var overlap: Int?
    /// Queue priority of the scene's tasks (higher first).
    public var priority: Int?

    public init(uri: String, acquiredAt: Date? = nil, sensor: String? = nil, bandRoles: [String: Int]? = nil,
                preEventSceneId: SceneID? = nil, tileSize: Int? = nil, overlap: Int? = nil, priority: Int? = nil) {
        self.uri = uri
        self.acquiredAt = acquiredAt
        self.sensor = sensor
        self.bandRoles = bandRoles
        self.preEventSceneId = preEventSceneId
        self.tileSize = tileSize
        self.overlap = overlap
        self.priority = priority
    }

    /// Band roles a scene may declare: the spectral names the wildfire and
    /// rendering code look up.
    public static let knownBandRoles: Set<String> = [
        "coastal", "blue", "green", "red", "rededge1", "rededge2", "rededge3", "nir", "nir08", "nir09",
        "swir1", "swir2", "swir16", "swir22", "pan", "thermal", "alpha",
    ]
}
