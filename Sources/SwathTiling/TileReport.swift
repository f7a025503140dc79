import Foundation

/// The outcome of a finished tiling job, for the summary line and for scripts.
public struct TileReport: Sendable {
    public var scene: String
    /// The output folder's path or the S3 prefix's URI.
    public var output: String
    /// Where the index is (or will be, once every shard is done).
    public var index: String
    public var gridRows: Int
    public var gridCols: Int
    public var written: Int
    public var skippedEmpty: Int
    public var resumed: Int
    public var elapsedSeconds: Double
    public var georeferenced: Bool
    public var warnings: [String]
    /// The part of a sharded job this run did (nil: the whole grid).
    public var shard: TileShard? = nil
    /// Tiles in this run's part: the whole grid, or the shard's share.
    public var shardTiles: Int? = nil
    /// False when a shard finished before the others: the last one writes the index.
    public var indexWritten = true

    public var total: Int { gridRows * gridCols }

    private var folder: String { output.hasSuffix("/") ? output : output + "/" }
    private var indexName: String { (index as NSString).lastPathComponent }

    public var summary: String {
        var parts = ["\(written) written"]
        if skippedEmpty > 0 { parts.append("\(skippedEmpty) empty skipped") }
        if resumed > 0 { parts.append("\(resumed) already done") }
        let counts = parts.joined(separator: ", ")
        let seconds = String(format: "%.2f", elapsedSeconds)
        guard let shard else {
            return "tiled \(scene): \(total) tiles (\(gridCols) × \(gridRows); \(counts)) "
                + "in \(seconds) s → \(folder) (index: \(indexName))"
        }
        let about = indexWritten ? "index: \(indexName), written by this shard, the last to finish"
                                 : "index: when the other shards have finished, by the last of them"
        return "tiled shard \(shard) of \(scene): \(shardTiles ?? 0) of \(total) tiles (\(counts)) "
            + "in \(seconds) s → \(folder) (\(about))"
    }
}
