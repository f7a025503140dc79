import SwathGeo

/// A shape to be saved as pre-labels: in the scene's CRS, with its class, the feature id it is
/// reported under, and attributes (a model's id and confidence, say).
public struct PreLabelShape: Sendable {
    public var fid: Int64
    public var classId: Int
    public var shape: MultiPolygon
    public var attributes: [String: JSONValue]

    public init(fid: Int64, classId: Int, shape: MultiPolygon, attributes: [String: JSONValue] = [:]) {
        self.fid = fid
        self.classId = classId
        self.shape = shape
        self.attributes = attributes
    }
}
