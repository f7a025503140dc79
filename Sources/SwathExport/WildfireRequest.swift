import Foundation
import SwathLabels
import SwathWildfire

/// A wildfire feature job asked for over HTTP, stored with its job as JSON;
/// whole numbers are converted exactly. Terrain features need `dem`, a path
/// or URI only a manager may name (checked by the service against the
/// server's scene sources, and opened as a GeoTIFF only).
public struct WildfireRequest: JobRequest, Codable, Sendable, Equatable {
    /// Chips on the export grid; 0 for one stack of the whole scene (default 512).
    public var chipSize: Int?
    /// Feature or group names (spectral, change, fire, spread, landcover); nil: all the inputs allow.
    public var features: [String]?
    /// Reflectance = DN × scale + offset.
    public var scale: Double?
    public var offset: Double?
    /// Statuses of the tasks whose labels make the fire, spread and land-cover features (default: accepted).
    public var statuses: [String]?
    /// The pre-fire scene (default: the scene's pre-event link); a scene of the same project.
    public var preSceneId: Int64?
    /// A DEM covering the scene, for the terrain features (managers only; under a `--scene-source`).
    public var dem: String?
    /// Set by the server from the path, not read from the request.
    public var sceneId: Int64?

    public init() {}

    enum CodingKeys: String, CodingKey { case chipSize, features, scale, offset, statuses, preSceneId, dem, sceneId }

    public init(from decoder: any Decoder) throws {
        let values = try decoder.container(keyedBy: CodingKeys.self)
        chipSize = try values.decodeWholeIfPresent(forKey: .chipSize)
        features = try values.decodeIfPresent([String].self, forKey: .features)
        scale = try values.decodeIfPresent(Double.self, forKey: .scale)
        offset = try values.decodeIfPresent(Double.self, forKey: .offset)
        statuses = try values.decodeIfPresent([String].self, forKey: .statuses)
        preSceneId = try values.decodeWholeIfPresent(forKey: .preSceneId).map(Int64.init)
        dem = try values.decodeIfPresent(String.self, forKey: .dem)
        sceneId = try values.decodeWholeIfPresent(forKey: .sceneId).map(Int64.init)
    }

    /// The extraction's options, checked: one line naming the field otherwise.
    public func options(threads: Int = 1) throws -> WildfireOptions {
        let size = chipSize ?? 512
        guard size == 0 || (16...8192).contains(size) else {
            throw ExportError.invalidOption("chipSize", "must be 0 (one stack) or 16…8192, got \(size)")
        }
        for (name, value) in [("scale", scale), ("offset", offset)] {
            if let value, !value.isFinite { throw ExportError.invalidOption(name, "must be a finite number") }
        }
        if let features {
            guard !features.isEmpty, features.count <= 64 else {
                throw ExportError.invalidOption("features", "give 1 to 64 names, or leave it out for all the inputs allow")
            }
            let wanted: [WildfireFeature]
            do { wanted = try FeaturePlan.named(features) } catch let error as WildfireError {
                throw ExportError.invalidOption("features", error.description)
            }
            if dem == nil, wanted.contains(where: { $0.group == .terrain }) {
                throw ExportError.invalidOption("features", "terrain features need a DEM: name one in 'dem' (managers)")
            }
        }
        if let dem, dem.isEmpty || dem.utf8.count > 4096 {
            throw ExportError.invalidOption("dem", "must be a path or URI of 1 to 4096 bytes")
        }
        var options = WildfireOptions(scale: scale ?? 1, offset: offset ?? 0, features: features, chipSize: size, threads: threads)
        // What a request names is opened as a GeoTIFF only (a VRT, for one, names other files).
        options.demDrivers = ["GTiff"]
        return options
    }
}
