import Foundation

/// How a pixel classifier is trained and validated.
public struct TrainingOptions: Sendable, Equatable {
    /// Boosting rounds (trees per class).
    public var rounds = 40
    public var maxDepth = 6
    public var learningRate = 0.3
    /// Training pixels drawn per class at most; classes are then weighted to count alike.
    public var samplesPerClass = 20_000
    /// Held-out pixels drawn for validation at most (at the classes' own shares).
    public var validationPixels = 200_000
    public var folds = 5
    /// Side of a cross-validation block in pixels.
    public var blockPixels = 256
    /// A class with fewer labelled pixels is left out of the model (and named in the report).
    public var minimumClassPixels = 100
    /// Accepted labels needed before anything is trained.
    public var minimumLabels = 5
    /// Reflectance = DN × scale + offset.
    public var scale = 1.0
    public var offset = 0.0
    public var seed: UInt64 = 1
    public var threads = max(1, ProcessInfo.processInfo.activeProcessorCount)

    public init() {}

    public func validate() throws {
        guard (1...1000).contains(rounds) else { throw ModelError("rounds must be 1…1000, got \(rounds)") }
        guard (1...16).contains(maxDepth) else { throw ModelError("max-depth must be 1…16, got \(maxDepth)") }
        guard learningRate.isFinite, learningRate > 0, learningRate <= 1 else { throw ModelError("learning-rate must be in (0, 1], got \(learningRate)") }
        guard (100...1_000_000).contains(samplesPerClass) else { throw ModelError("samples-per-class must be 100…1000000, got \(samplesPerClass)") }
        guard (2...10).contains(folds) else { throw ModelError("folds must be 2…10, got \(folds)") }
        guard (16...8192).contains(blockPixels) else { throw ModelError("block-pixels must be 16…8192, got \(blockPixels)") }
        guard scale.isFinite, scale > 0, offset.isFinite else { throw ModelError("scale must be positive and offset finite") }
    }

    /// XGBoost's parameters for `classes` outputs.
    func parameters(classes: Int) -> [(String, String)] {
        [("objective", "multi:softprob"), ("num_class", String(classes)), ("max_depth", String(maxDepth)),
         ("eta", String(learningRate)), ("tree_method", "hist"), ("max_bin", "256"), ("nthread", String(threads)),
         ("seed", String(seed)), ("verbosity", "0")]
    }
}
