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
        /// RFC 7946 §5, WGS84 only: [west, south, east, north], west > east across ±180°.
        public var bbox: [Double]?
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
    /// Set on a page of a project's labels that may have more after it: pass it as `after`.
    public var nextAfter: LabelID?

    public init(crs: String, features: [Feature], nextAfter: LabelID? = nil) {
        self.crs = crs
        self.features = features
        self.nextAfter = nextAfter
    }
}

extension LabelFeatureCollection {
    /// The same document as a `JSONValue`, for the hand-written serializer
    /// on the hot label routes (identical content to the Encodable form).
    public var json: JSONValue {
        var members: [String: JSONValue] = [
            "type": .string(type),
            "crs": .string(crs),
            "features": .array(features.map(\.json)),
        ]
        if let nextAfter { members["nextAfter"] = .number(Double(nextAfter)) }
        return .object(members)
    }
}

extension LabelFeatureCollection.Feature {
    var json: JSONValue {
        let p = properties
        var members: [String: JSONValue] = [
            "type": .string(type),
            "id": .number(Double(id)),
            "geometry": geometry.json,
            "properties": .object([
                "labelId": .number(Double(p.labelId)),
                "class": .string(p.class),
                "classId": .number(Double(p.classId)),
                "group": .string(p.group),
                "attributes": .object(p.attributes),
                "taskId": .number(Double(p.taskId)),
                "sceneId": .number(Double(p.sceneId)),
                "source": .string(p.source.rawValue),
                "version": .number(Double(p.version)),
                "annotatorId": p.annotatorId.map { .number(Double($0)) } ?? .null,
                "secondsSpent": .number(p.secondsSpent),
                "createdAt": .string(p.createdAt.formatted(.iso8601)),
            ]),
        ]
        if let bbox { members["bbox"] = .array(bbox.map(JSONValue.number)) }
        return .object(members)
    }
}
