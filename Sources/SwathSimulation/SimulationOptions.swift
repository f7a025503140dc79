import Foundation

/// The size and make-up of a simulated workforce, and the project it works.
public struct SimulationOptions: Sendable {
    public var honest = 24
    /// Dishonest annotators of each kind (colluders come in pairs, so their count is rounded up to even).
    public var perDishonestKind = 4
    /// Tasks of the simulated scene (a square grid of 128-pixel tiles).
    public var tasks = 144
    public var annotatorsPerTask = 3
    /// Share of tasks a manager marks gold.
    public var goldShare = 0.1
    /// Share of tasks that come with model pre-labels.
    public var preLabelShare = 0.5
    public var preLabels: PreLabelMode = .imported
    /// With model pre-labels: the queue serves the model's least certain tasks first.
    public var activeLearning = false
    /// With model pre-labels: the model is trained again each time this share of the tasks has been accepted since.
    public var retrainShare = 0.2
    /// Threads the model trains and predicts on.
    public var modelThreads = max(1, ProcessInfo.processInfo.activeProcessorCount)
    public var seed: UInt64 = 7
    /// Sleepers work honestly on this many (non-gold) tasks before they stop trying.
    public var sleeperHonestTasks = 4

    public init() {}

    public var workforce: Int { honest + perDishonestKind * (DishonestKind.allCases.count - 1) + colluderCount }
    var colluderCount: Int { (perDishonestKind + 1) / 2 * 2 }

    public func validate() throws {
        guard honest >= 1 else { throw SimulationError("--honest must be at least 1, got \(honest)") }
        guard perDishonestKind >= 0 else { throw SimulationError("--per-kind must be 0 or more, got \(perDishonestKind)") }
        guard (4...10_000).contains(tasks) else { throw SimulationError("--tasks must be 4…10000, got \(tasks)") }
        guard (1...10).contains(annotatorsPerTask) else { throw SimulationError("--k must be 1…10, got \(annotatorsPerTask)") }
        guard annotatorsPerTask <= workforce else {
            throw SimulationError("--k \(annotatorsPerTask) is more than the workforce of \(workforce) annotators")
        }
        guard (0...0.5).contains(goldShare) else { throw SimulationError("--gold-share must be 0…0.5, got \(goldShare)") }
        guard (0...1).contains(preLabelShare) else { throw SimulationError("--prelabel-share must be 0…1, got \(preLabelShare)") }
        guard !activeLearning || preLabels == .model else { throw SimulationError("--active-learning needs --prelabels model") }
        guard (0.05...0.9).contains(retrainShare) else { throw SimulationError("--retrain-share must be 0.05…0.9, got \(retrainShare)") }
    }
}
