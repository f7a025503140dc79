import Foundation
import SwathGeo

public typealias TaskID = Int64

/// One tile of a scene for one annotator at a time.
public struct LabelTask: Codable, Equatable, Sendable {
    public var id: TaskID
    public var projectId: ProjectID
    public var sceneId: SceneID
    /// The tile's pixel window in the scene.
    public var window: Window
    /// The tile's outline in WGS84: a GeoJSON Polygon (MultiPolygon when cut at the antimeridian).
    public var footprintWGS84: JSONValue
    public var status: TaskStatus
    public var assigneeId: UserID?
    public var leaseExpiresAt: Date?
    /// Higher first; claims pick at random among the highest.
    public var priority: Int
    public var updatedAt: Date

    public init(id: TaskID, projectId: ProjectID, sceneId: SceneID, window: Window, footprintWGS84: JSONValue, status: TaskStatus,
                assigneeId: UserID?, leaseExpiresAt: Date?, priority: Int, updatedAt: Date) {
        self.id = id
        self.projectId = projectId
        self.sceneId = sceneId
        self.window = window
        self.footprintWGS84 = footprintWGS84
        self.status = status
        self.assigneeId = assigneeId
        self.leaseExpiresAt = leaseExpiresAt
        self.priority = priority
        self.updatedAt = updatedAt
    }

    public func isLeased(to user: UserID, at now: Date) -> Bool {
        status == .inProgress && assigneeId == user && (leaseExpiresAt.map { $0 > now } ?? false)
    }
}
