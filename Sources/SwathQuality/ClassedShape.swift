import SwathGeo

/// One annotator's polygon with its class, in a planar CRS (the scene's).
public struct ClassedShape: Sendable {
    public var classId: Int
    public var geometry: MultiPolygon

    public init(classId: Int, geometry: MultiPolygon) {
        self.classId = classId
        self.geometry = geometry
    }
}
