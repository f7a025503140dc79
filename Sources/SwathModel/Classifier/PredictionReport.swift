import SwathLabels

/// What one prediction did: pixels classified, pixels per class, the per-task uncertainty recorded
/// (mean normalized entropy), and the pre-labels saved.
public struct PredictionReport: Encodable, Sendable {
    public var model: String
    public var sceneId: SceneID
    public var probabilities: String
    public var pixelsPredicted: Int
    /// Pixels whose most probable class this is, by class id.
    public var pixelsPerClass: [String: Int]
    public var meanConfidence: Double
    public var tasksScored: Int
    public var meanUncertainty: Double
    public var regions: Int
    public var preLabels: ImportReport?
}
