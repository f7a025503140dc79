import Foundation
import SwathGeo

/// A project before it has an id.
public struct ProjectDraft: Sendable {
    public var customer: String
    public var codename: String
    public var taxonomy: Taxonomy
    public var settings: ProjectSettings

    public init(customer: String, codename: String, taxonomy: Taxonomy = .standard, settings: ProjectSettings = ProjectSettings()) {
        self.customer = customer
        self.codename = codename
        self.taxonomy = taxonomy
        self.settings = settings
    }
}

/// A scene before it has an id (everything read from the raster at ingest).
public struct SceneDraft: Codable, Equatable, Sendable {
    public var projectId: ProjectID
    public var uri: String
    public var crsWKT: String
    public var epsg: Int?
    public var geoTransform: [Double]
    public var width: Int
    public var height: Int
    public var bandCount: Int
    public var dataType: String
    public var acquiredAt: Date?
    public var sensor: String?
    public var bandRoles: [String: Int]
    public var preEventSceneId: SceneID?
    public var tileSize: Int
    public var overlap: Int
    public var bboxWGS84: [Double]

    public init(projectId: ProjectID, uri: String, crsWKT: String, epsg: Int?, geoTransform: [Double], width: Int, height: Int,
                bandCount: Int, dataType: String, acquiredAt: Date?, sensor: String?, bandRoles: [String: Int],
                preEventSceneId: SceneID?, tileSize: Int, overlap: Int, bboxWGS84: [Double]) {
        self.projectId = projectId
        self.uri = uri
        self.crsWKT = crsWKT
        self.epsg = epsg
        self.geoTransform = geoTransform
        self.width = width
        self.height = height
        self.bandCount = bandCount
        self.dataType = dataType
        self.acquiredAt = acquiredAt
        self.sensor = sensor
        self.bandRoles = bandRoles
        self.preEventSceneId = preEventSceneId
        self.tileSize = tileSize
        self.overlap = overlap
        self.bboxWGS84 = bboxWGS84
    }
}

/// A task before it has an id.
public struct TaskDraft: Sendable {
    public var window: Window
    public var footprintWGS84: JSONValue
    public var bboxWGS84: [Double]
    public var priority: Int
}

/// A label ready to store: validated, clipped, in the scene's CRS.
public struct LabelDraft: Sendable {
    public var taskId: TaskID
    public var classId: Int
    public var attributes: [String: JSONValue]
    public var geometry: MultiPolygon
    public var bboxWGS84: [Double]
    public var source: LabelSource
    public var previousId: LabelID?
    public var secondsSpent: Double
    /// The polygon's area as drawn, before clipping to the task's tile.
    public var drawnArea: Double?

    public init(taskId: TaskID, classId: Int, attributes: [String: JSONValue], geometry: MultiPolygon, bboxWGS84: [Double],
                source: LabelSource, previousId: LabelID?, secondsSpent: Double, drawnArea: Double? = nil) {
        self.taskId = taskId
        self.classId = classId
        self.attributes = attributes
        self.geometry = geometry
        self.bboxWGS84 = bboxWGS84
        self.source = source
        self.previousId = previousId
        self.secondsSpent = secondsSpent
        self.drawnArea = drawnArea
    }
}
