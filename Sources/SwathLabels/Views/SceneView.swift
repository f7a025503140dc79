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
        projectId = scene.projectId
        uri = access.seesCustomer ? scene.uri : nil
        epsg = scene.epsg
        crsWKT = scene.crsWKT
        geoTransform = scene.geoTransform
        width = scene.width
        height = scene.height
        bandCount = scene.bandCount
        dataType = scene.dataType
        acquiredAt = scene.acquiredAt
        sensor = scene.sensor
        bandRoles = scene.bandRoles
        preEventSceneId = scene.preEventSceneId
        tileSize = scene.tileSize
        overlap = scene.overlap
        bboxWGS84 = scene.bboxWGS84
        self.taskCount = taskCount
    }
}
