import Foundation
import SwathGeo

public typealias SceneID = Int64

/// A registered raster with everything needed to place labels on it without
/// reopening it: CRS, the full geotransform, size and bands — the
/// `SceneDraft` read at ingest — plus its id. Draft fields read through
/// (`scene.uri`, `scene.width`, …).
@dynamicMemberLookup
public struct Scene: Equatable, Sendable {
    public var id: SceneID
    public var createdAt: Date
    public var registration: SceneDraft

    public init(id: SceneID, createdAt: Date, registration: SceneDraft) {
        self.id = id
        self.createdAt = createdAt
        self.registration = registration
    }

    public subscript<Value>(dynamicMember keyPath: KeyPath<SceneDraft, Value>) -> Value {
        registration[keyPath: keyPath]
    }

    public var transform: GeoTransform { GeoTransform(registration.geoTransform) }
    /// The length of a pixel's top edge in the CRS's units (rotation included).
    public var pixelSize: Double { hypot(registration.geoTransform[1], registration.geoTransform[4]) }

    public var crs: CRS { CRS(name: "", wkt: registration.crsWKT, epsg: registration.epsg, projJSON: nil, isGeographic: false) }
}
