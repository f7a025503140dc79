import SwathQuality

/// How a project cuts scenes into tasks, runs its queue and judges quality.
public struct ProjectSettings: Codable, Equatable, Sendable {
    public var tileSize: Int
    public var overlap: Int
    /// Seconds a claim lasts without a heartbeat.
    public var leaseSeconds: Int
    /// Annotators wanted per task (k). Above 1 each labels the task on their
    /// own and the majority consensus becomes the task's labels.
    public var labelsPerTask: Int
    /// A consensus task whose agreement (mean pairwise F1) is below this goes to a reviewer.
    public var agreementThreshold: Double
    /// Chance that a claim is served a gold task (when one is left for the annotator).
    public var goldRate: Double
    /// Rolling mean F1 against gold below which an annotator is paused.
    public var goldAccuracyThreshold: Double
    /// Which open tasks claims serve first: by priority, or by a model's uncertainty.
    public var queueOrder: QueueOrder = .priority
    /// How many of the latest gold results the rolling accuracy counts.
    public var goldWindow: Int
    /// Gold results needed before an annotator can be paused.
    public var goldMinimum: Int
    /// Adaptive gold: the most an annotator whose quality is slipping is served gold (at least `goldRate`).
    public var goldRateCeiling: Double = 0.5
    /// How the risk score weighs each signal.
    public var riskWeights = RiskWeights()
    /// Annotators at or above this risk have their accepted work sampled for audit.
    public var auditRiskThreshold: Double = 0.6
    /// Share of a risky annotator's accepted tasks the audit queue samples (at least one).
    public var auditShare: Double = 0.1
    /// The qualification test new annotators pass before real tasks; nil: none required.
    public var qualification: QualificationSettings?
    /// What accepted work pays; nil: the project keeps no pay ledger.
    public var pay: PayRates?

    public init(tileSize: Int = 512, overlap: Int = 0, leaseSeconds: Int = 1800, labelsPerTask: Int = 1,
                agreementThreshold: Double = 0.7, goldRate: Double = 0.1, goldAccuracyThreshold: Double = 0.5,
                goldWindow: Int = 10, goldMinimum: Int = 4) {
        self.tileSize = tileSize
        self.overlap = overlap
        self.leaseSeconds = leaseSeconds
        self.labelsPerTask = labelsPerTask
        self.agreementThreshold = agreementThreshold
        self.goldRate = goldRate
        self.goldAccuracyThreshold = goldAccuracyThreshold
        self.goldWindow = goldWindow
        self.goldMinimum = goldMinimum
        // A project that serves more gold than the default ceiling starts with its rate as the ceiling.
        goldRateCeiling = max(goldRateCeiling, goldRate)
    }

    /// Projects stored before the quality settings existed get their defaults.
    public init(from decoder: any Decoder) throws {
        let values = try decoder.container(keyedBy: CodingKeys.self)
        let defaults = ProjectSettings()
        tileSize = try values.decodeIfPresent(Int.self, forKey: .tileSize) ?? defaults.tileSize
        overlap = try values.decodeIfPresent(Int.self, forKey: .overlap) ?? defaults.overlap
        leaseSeconds = try values.decodeIfPresent(Int.self, forKey: .leaseSeconds) ?? defaults.leaseSeconds
        labelsPerTask = try values.decodeIfPresent(Int.self, forKey: .labelsPerTask) ?? defaults.labelsPerTask
        agreementThreshold = try values.decodeIfPresent(Double.self, forKey: .agreementThreshold) ?? defaults.agreementThreshold
        goldRate = try values.decodeIfPresent(Double.self, forKey: .goldRate) ?? defaults.goldRate
        goldAccuracyThreshold = try values.decodeIfPresent(Double.self, forKey: .goldAccuracyThreshold) ?? defaults.goldAccuracyThreshold
        goldWindow = try values.decodeIfPresent(Int.self, forKey: .goldWindow) ?? defaults.goldWindow
        goldMinimum = try values.decodeIfPresent(Int.self, forKey: .goldMinimum) ?? defaults.goldMinimum
        queueOrder = try values.decodeIfPresent(QueueOrder.self, forKey: .queueOrder) ?? defaults.queueOrder
        goldRateCeiling = try values.decodeIfPresent(Double.self, forKey: .goldRateCeiling) ?? max(defaults.goldRateCeiling, goldRate)
        riskWeights = try values.decodeIfPresent(RiskWeights.self, forKey: .riskWeights) ?? defaults.riskWeights
        auditRiskThreshold = try values.decodeIfPresent(Double.self, forKey: .auditRiskThreshold) ?? defaults.auditRiskThreshold
        auditShare = try values.decodeIfPresent(Double.self, forKey: .auditShare) ?? defaults.auditShare
        qualification = try values.decodeIfPresent(QualificationSettings.self, forKey: .qualification)
        pay = try values.decodeIfPresent(PayRates.self, forKey: .pay)
    }

    public func validate() throws {
        guard (64...8192).contains(tileSize) else { throw LabelingError.invalid("tileSize must be 64…8192 pixels, got \(tileSize)") }
        guard overlap >= 0, overlap < tileSize else { throw LabelingError.invalid("overlap must be 0…\(tileSize - 1), got \(overlap)") }
        guard (60...86_400).contains(leaseSeconds) else { throw LabelingError.invalid("leaseSeconds must be 60…86400, got \(leaseSeconds)") }
        guard (1...10).contains(labelsPerTask) else { throw LabelingError.invalid("labelsPerTask must be 1…10, got \(labelsPerTask)") }
        try Self.share("agreementThreshold", agreementThreshold)
        try Self.share("goldRate", goldRate)
        try Self.share("goldAccuracyThreshold", goldAccuracyThreshold)
        guard (1...100).contains(goldWindow) else { throw LabelingError.invalid("goldWindow must be 1…100 results, got \(goldWindow)") }
        guard (1...goldWindow).contains(goldMinimum) else {
            throw LabelingError.invalid("goldMinimum must be 1…goldWindow (\(goldWindow)), got \(goldMinimum)")
        }
        guard goldRateCeiling.isFinite, goldRateCeiling >= goldRate, goldRateCeiling <= 1 else {
            throw LabelingError.invalid("goldRateCeiling must be goldRate (\(goldRate))…1, got \(goldRateCeiling)")
        }
        if let problem = riskWeights.problem { throw LabelingError.invalid(problem) }
        try Self.share("auditRiskThreshold", auditRiskThreshold)
        guard auditShare.isFinite, auditShare > 0, auditShare <= 1 else {
            throw LabelingError.invalid("auditShare must be above 0 and at most 1, got \(auditShare)")
        }
        if let problem = qualification?.problem { throw LabelingError.invalid(problem) }
        if let problem = pay?.problem { throw LabelingError.invalid(problem) }
    }

    private static func share(_ name: String, _ value: Double) throws {
        guard value.isFinite, (0...1).contains(value) else { throw LabelingError.invalid("\(name) must be between 0 and 1, got \(value)") }
    }
}
