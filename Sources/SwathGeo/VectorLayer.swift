/// A layer read from a vector dataset: its CRS (nil when it declares none)
/// and its features.
public struct VectorLayer: Sendable {
    public var name: String
    public var crs: CRS?
    public var features: [VectorFeature]
}
