import Foundation

/// One annotator's record on one project, as the sleeper check reads it:
/// their turns in the order they handed them in, the agreements, flags and
/// gold results those turns earned.
public struct AnnotatorHistory: Sendable {
    public var turns: [(taskId: TaskID, submittedAt: Date)]
    public var pairs: [PairAgreement]
    public var flags: [FlagRecord]
    public var gold: [GoldResult]

    public init(turns: [(taskId: TaskID, submittedAt: Date)], pairs: [PairAgreement], flags: [FlagRecord], gold: [GoldResult]) {
        self.turns = turns
        self.pairs = pairs
        self.flags = flags
        self.gold = gold
    }
}
