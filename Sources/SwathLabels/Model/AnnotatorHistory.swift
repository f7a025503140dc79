import Foundation

/// One annotator's record on one project, as the sleeper check reads it:
/// their turns in the order they handed them in, the agreements, flags and
/// gold results those turns earned.
public struct AnnotatorHistory: Sendable {
    public var turns: [(taskId: TaskID, submittedAt: Date)]
    public var pairs: [PairAgreement]
    public var flags: [FlagRecord]
    public var gold: [GoldResult]
    /// Co-annotators whose word on a task is worth nothing: flagged on that task (by task id), or caught deceiving anywhere in the project.
    public var distrusted: Set<UserID>
    public var flaggedOnTask: Set<[Int64]>

    public init(turns: [(taskId: TaskID, submittedAt: Date)], pairs: [PairAgreement], flags: [FlagRecord], gold: [GoldResult],
                distrusted: Set<UserID> = [], flaggedOnTask: Set<[Int64]> = []) {
        self.distrusted = distrusted
        self.flaggedOnTask = flaggedOnTask
        self.turns = turns
        self.pairs = pairs
        self.flags = flags
        self.gold = gold
    }
}
