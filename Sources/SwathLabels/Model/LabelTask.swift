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

    public func isLeased(to user: UserID, at now: Date) -> Bool {
        status == .inProgress && assigneeId == user && (leaseExpiresAt.map { $0 > now } ?? false)
    }
}
