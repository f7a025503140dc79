import Foundation

/// Where a tiling job's files end up: a local folder (`FolderSink`) or an S3
/// prefix (`ObjectSink`). Tiles are written to `stagingFolder` under hidden
/// temporary names and published under their final names only when whole;
/// the journal records them after that, and the index goes last.
protocol TileSink: Sendable {
    /// The folder path or `s3://` URI, for messages and the report.
    var location: String { get }
    /// Where tiles are written before they are published (a GDAL path).
    var stagingFolder: URL { get }

    /// Creates or checks the destination, clears what a killed run of this part left
    /// behind (`ownTiles`: the shard's tile names; nil for a whole run), and opens the
    /// journal: on resume (or for a shard, always) with the tiles it already lists
    /// passed to `restore`, fresh otherwise.
    func prepare(signature: TileJournal.Signature, shard: TileShard?, resume: Bool, ownTiles: [String]?,
                 restore: (TileOutcome) -> Void) throws -> TileRecorder

    /// Moves the staged tile at `staged` (and its `.aux.xml` sidecar, if any) under `name`,
    /// then calls `published` (which journals it): at once, or from an upload thread.
    func publish(staged: String, as name: String, then published: @escaping @Sendable () throws -> Void) throws

    /// Waits for every publish still under way; throws the first that failed.
    func drain() throws

    /// Whether a tile's file is there under `name` (as prepared or last refreshed).
    func contains(_ name: String) -> Bool

    /// Reads another shard's journal; false when that shard has not started.
    func readJournal(of shard: TileShard, signature: TileJournal.Signature,
                     tile: (TileOutcome) throws -> Void) throws -> Bool

    /// Sees what other shards have published since `prepare`.
    func refresh() throws

    /// Writes the index through `write` (given a local file to fill) and puts it in place.
    func publishIndex(tag: String?, write: (URL) throws -> Void) throws

    /// Removes what only this run needed (staging), whatever the outcome.
    func close()
}
