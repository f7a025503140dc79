/// A polygon with its taxonomy class, in a planar CRS (the scene's): one
/// annotator's label for quality checks, a land-cover label for wildfire stacks.
public struct ClassedShape: Sendable {
    public var classId: Int
    public var geometry: MultiPolygon

    public init(classId: Int, geometry: MultiPolygon) {
        self.classId = classId
        self.geometry = geometry
    }
}
