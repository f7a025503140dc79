/// One training of the pixel classifier during a simulation: how much accepted work it learned
/// from, its spatial-block cross-validated accuracy, and its accuracy against the scene's truth.
public struct ModelCheckpoint: Sendable {
    public var acceptedTasks: Int
    public var crossValidatedAccuracy: Double
    public var truthAccuracy: Double
    public var preLabelsSaved: Int
}
