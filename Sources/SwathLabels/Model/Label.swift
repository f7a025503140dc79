import Foundation
import SwathGeo

public typealias LabelID = Int64

/// A georeferenced polygon with a class, stored in its scene's CRS.
/// Saving a task's labels again supersedes the earlier versions; they stay
/// in the store as history.
public struct Label: Equatable, Sendable {
    public var id: LabelID
    public var projectId: ProjectID
    public var sceneId: SceneID
    public var taskId: TaskID
    public var classId: Int
    public var attributes: [String: JSONValue]
    /// In the scene's CRS.
    public var geometry: MultiPolygon
    /// Who drew it; nil for pre-labels imported from the command line.
    public var annotatorId: UserID?
    public var source: LabelSource
    public var version: Int
    /// The label this one replaces, when it is an edit.
    public var previousId: LabelID?
    public var secondsSpent: Double
    public var createdAt: Date
    /// The polygon's area as drawn, before it was clipped to the task's tile (nil for labels saved before it was kept).
    public var drawnArea: Double? = nil

    public init(id: LabelID, projectId: ProjectID, sceneId: SceneID, taskId: TaskID, classId: Int, attributes: [String: JSONValue],
                geometry: MultiPolygon, annotatorId: UserID?, source: LabelSource, version: Int, previousId: LabelID?,
                secondsSpent: Double, createdAt: Date, drawnArea: Double? = nil) {
        self.id = id
        self.projectId = projectId
        self.sceneId = sceneId
        self.taskId = taskId
        self.classId = classId
        self.attributes = attributes
        self.geometry = geometry
        self.annotatorId = annotatorId
        self.source = source
        self.version = version
        self.previousId = previousId
        self.secondsSpent = secondsSpent
        self.createdAt = createdAt
        self.drawnArea = drawnArea
    }
}
