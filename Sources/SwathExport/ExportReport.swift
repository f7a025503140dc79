import Foundation

/// What an export wrote, for the summary line and for scripts.
public struct ExportReport: Sendable {
    public var outDir: URL
    public var chipsWritten: Int
    public var chipsResumed: Int
    public var chipsBySplit: [DatasetSplit: Int]
    public var labelsExported: Int
    public var skippedBackground: Int
    public var droppedForBuffer: Int
    /// Chips over ground not covered by tasks in the wanted statuses.
    public var outsideReviewedTasks: Int
    public var sceneFailures: [String]
    public var notes: [String]
    public var elapsedSeconds: Double

    public var summary: String {
        let splits = DatasetSplit.allCases.map { "\($0.rawValue) \(chipsBySplit[$0] ?? 0)" }.joined(separator: ", ")
        return "exported \(chipsWritten + chipsResumed) chips (\(splits); \(chipsResumed) already done, "
            + "\(skippedBackground) background skipped, \(droppedForBuffer) dropped as split buffer, \(outsideReviewedTasks) over unreviewed ground) with \(labelsExported) labels "
            + String(format: "in %.2f s", elapsedSeconds) + " → \(outDir.path)/"
    }
}
