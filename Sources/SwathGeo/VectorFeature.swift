/// One feature of a vector layer: its polygons (or why it has none usable)
/// and its attribute fields as text.
public struct VectorFeature: Sendable {
    public var fid: Int64
    public var geometry: Result<MultiPolygon, GeometryProblem>
    public var fields: [String: String]
}
