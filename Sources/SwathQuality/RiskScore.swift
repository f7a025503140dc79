import Foundation

/// One annotator's risk, 0…1: 1 − e^(−Σ weight × signal), every signal with
/// the words that explain it. Signals are the tasks flagged per kind (an
/// annotator-wide flag counts once), the relative shortfall of their gold F1
/// under the project's threshold, and of their agreement under the project's
/// median annotator. See `RiskWeights` for the weights and how they were set.
public struct RiskScore: Sendable, Equatable {
    public var score: Double
    public var evidence: [String]

    public struct Signals: Sendable {
        /// Distinct tasks flagged per kind (annotator-wide flags count one).
        public var flaggedTasks: [IntegrityFlag.Kind: Int] = [:]
        public var goldF1: Double?
        public var goldThreshold: Double = 0.5
        public var agreement: Double?
        public var medianAgreement: Double?

        public init() {}
    }

    public init(_ signals: Signals, weights: RiskWeights) {
        var sum = 0.0
        var evidence: [String] = []
        for kind in IntegrityFlag.Kind.allCases {
            guard let count = signals.flaggedTasks[kind], count > 0 else { continue }
            let added = weights.weight(kind) * Double(count)
            sum += added
            evidence.append(String(format: "%@ on %d task%@ (+%.2f)", kind.rawValue, count, count == 1 ? "" : "s", added))
        }
        if let f1 = signals.goldF1, signals.goldThreshold > 0, f1 < signals.goldThreshold {
            let added = weights.goldShortfall * (signals.goldThreshold - f1) / signals.goldThreshold
            sum += added
            evidence.append(String(format: "gold F1 %.2f under the threshold %.2f (+%.2f)", f1, signals.goldThreshold, added))
        }
        if let mine = signals.agreement, let median = signals.medianAgreement, median > 0, mine < median {
            let added = weights.agreementShortfall * (median - mine) / median
            sum += added
            evidence.append(String(format: "agreement %.2f under the median annotator's %.2f (+%.2f)", mine, median, added))
        }
        score = 1 - exp(-sum)
        self.evidence = evidence
    }
}
