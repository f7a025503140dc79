import Foundation

/// A scene as one caller may see it. Its URI can name the customer (a bucket,
/// a folder), so only admins and managers get it.
public struct SceneView: Encodable, Sendable {
    public var id: SceneID
    public var projectId: ProjectID
    public var uri: String?
    public var epsg: Int?
    public var crsWKT: String
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
    public var taskCount: Int?

    init(_ scene: Scene, access: ProjectAccess, taskCount: Int? = nil) {
        id = scene.id
        let draft = scene.registration
        (projectId, epsg, crsWKT, geoTransform, width, height) = (draft.projectId, draft.epsg, draft.crsWKT, draft.geoTransform, draft.width, draft.height)
        (bandCount, dataType, acquiredAt, sensor, bandRoles) = (draft.bandCount, draft.dataType, draft.acquiredAt, draft.sensor, draft.bandRoles)
        (preEventSceneId, tileSize, overlap, bboxWGS84) = (draft.preEventSceneId, draft.tileSize, draft.overlap, draft.bboxWGS84)
        uri = access.seesCustomer ? draft.uri : nil
        self.taskCount = taskCount
    }
}
