import SwathGeo

/// The project's quality figures when the release was made, from its quality report:
/// gold accuracy (mean F1 over gold tasks) and agreement between co-annotators.
public struct ReleaseQuality: Codable, Sendable, Equatable {
    /// Mean F1 of annotators' gold tasks, weighted by tasks; nil without gold results.
    public var goldMeanF1: Double?
    public var goldTasks: Int
    /// Mean of the annotators' agreement with their co-annotators; nil without consensus work.
    public var meanAgreement: Double?
    public var annotators: Int

    /// Read from `qualityReport`'s JSON (the report managers see).
    init(report: JSONValue) {
        guard case .object(let fields) = report, case .array(let annotators)? = fields["annotators"] else {
            self.init(goldMeanF1: nil, goldTasks: 0, meanAgreement: nil, annotators: 0)
            return
        }
        var f1Sum = 0.0, goldTasks = 0, agreements: [Double] = []
        for case .object(let annotator) in annotators {
            if case .object(let gold)? = annotator["gold"], case .number(let tasks)? = gold["tasks"], case .number(let f1)? = gold["meanF1"] {
                f1Sum += f1 * tasks
                goldTasks += Int(tasks)
            }
            if case .number(let agreement)? = annotator["agreement"] { agreements.append(agreement) }
        }
        self.init(goldMeanF1: goldTasks > 0 ? f1Sum / Double(goldTasks) : nil, goldTasks: goldTasks,
                  meanAgreement: agreements.isEmpty ? nil : agreements.reduce(0, +) / Double(agreements.count), annotators: annotators.count)
    }

    init(goldMeanF1: Double?, goldTasks: Int, meanAgreement: Double?, annotators: Int) {
        self.goldMeanF1 = goldMeanF1
        self.goldTasks = goldTasks
        self.meanAgreement = meanAgreement
        self.annotators = annotators
    }
}
