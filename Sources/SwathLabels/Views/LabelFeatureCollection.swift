import Foundation
import SwathGeo

/// Labels as an RFC 7946 FeatureCollection (or, on request, in the scene's
/// CRS or the task's pixel grid, said in the `crs` member).
public struct LabelFeatureCollection: Encodable, Sendable {
    public struct Feature: Encodable, Sendable {
        public var type = "Feature"
        public var id: LabelID
        public var geometry: GeoJSONGeometry
        public var properties: Properties
    }

    public struct Properties: Encodable, Sendable {
        public var labelId: LabelID
        public var `class`: String
        public var classId: Int
        public var group: String
        public var attributes: [String: JSONValue]
        public var taskId: TaskID
        public var sceneId: SceneID
        public var source: LabelSource
        public var version: Int
        public var annotatorId: UserID?
        public var secondsSpent: Double
        public var createdAt: Date
    }

    public var type = "FeatureCollection"
    /// "EPSG:4326" (RFC 7946 default), "scene" or "pixel".
    public var crs: String
    public var features: [Feature]
}
