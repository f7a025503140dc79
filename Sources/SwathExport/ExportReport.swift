import Foundation
import SwathTiling

/// What an export wrote, for the summary line and for scripts.
public struct ExportReport: Sendable {
    /// The output folder's path or the S3 prefix's URI.
    public var output: String
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
    /// The part of a sharded export this run did (nil: all of it).
    public var shard: TileShard? = nil
    /// False when a shard finished before the others: the last one writes the manifest.
    public var manifestWritten = true

    public var summary: String {
        let splits = DatasetSplit.allCases.map { "\($0.rawValue) \(chipsBySplit[$0] ?? 0)" }.joined(separator: ", ")
        let details = "\(skippedBackground) background skipped, \(droppedForBuffer) dropped as split buffer, "
            + "\(outsideReviewedTasks) over unreviewed ground"
        let tail = String(format: "in %.2f s", elapsedSeconds) + " → \(output.hasSuffix("/") ? output : output + "/")"
        guard let shard else {
            return "exported \(chipsWritten + chipsResumed) chips (\(splits); \(chipsResumed) already done, \(details)) "
                + "with \(labelsExported) labels \(tail)"
        }
        let whole = chipsBySplit.values.reduce(0, +)
        let manifest = manifestWritten ? "manifest written by this shard, the last to finish"
                                       : "manifest: when the other shards have finished, by the last of them"
        return "exported shard \(shard): \(chipsWritten + chipsResumed) of the export's \(whole) chips (\(chipsWritten) written, "
            + "\(chipsResumed) already done; the export: \(splits), \(labelsExported) labels, \(details)) \(tail) (\(manifest))"
    }
}
