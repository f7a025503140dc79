import SwathGeo

/// A land-cover label on the post-fire scene, in the scene's CRS.
public struct ClassLabel: Sendable {
    public var geometry: MultiPolygon
    /// The taxonomy class (the standard taxonomy uses ESA WorldCover codes, 10–100).
    public var classId: Int

    public init(geometry: MultiPolygon, classId: Int) {
        self.geometry = geometry
        self.classId = classId
    }
}
