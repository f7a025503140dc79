/// Accuracy by spatial-block cross-validation: the labelled pixels of each fold's blocks predicted
/// by a model trained without any pixel of those blocks.
public struct ValidationReport: Codable, Equatable, Sendable {
    public var method = "spatial-block cross-validation"
    public var folds: Int
    /// Side of a block in pixels: every pixel of a block is in the same fold.
    public var blockPixels: Int
    public var heldOutPixels: Int
    public var overallAccuracy: Double
    public var classes: [ClassMetrics]
    /// Classes with too few labelled pixels to learn, left out of the model.
    public var classesLeftOut: [String]
}
