import Foundation
import SwathGeo

/// Cuts a scene into georeferenced tiles on a regular grid, in parallel.
///
/// Each worker opens its own GDAL handle and owns one tile buffer, so memory
/// is one tile per worker plus GDAL's capped block cache, whatever the
/// scene's size; the bookkeeping is nine bytes a tile (`TileRecords`), the
/// journal is read back and the index written as streams. Workers take runs of neighbouring tiles along a row, so a
/// source block shared by two tiles is usually decoded once.
public struct Tiler: Sendable {
    public let source: String
    public let options: TileOptions
    let sink: any TileSink

    /// Refuses grids larger than this: a small file declaring absurd
    /// dimensions must not turn into millions of tile records.
    public static let maximumTileCount = 1_000_000
    /// One tile's pixels, per worker.
    public static let maximumTileBytes = 1 << 30

    /// Tiles into a local folder (default `tiles/<scene name>/`).
    public init(source: String, outDir: URL? = nil, options: TileOptions) {
        self.source = source
        self.sink = FolderSink(folder: outDir ?? Self.defaultOutputFolder(for: source))
        self.options = options
    }

    /// Tiles into an S3 prefix, each object uploaded whole.
    public init(source: String, objects: ObjectPrefix, options: TileOptions) {
        self.source = source
        self.sink = ObjectSink(prefix: objects, workers: options.threads)
        self.options = options
    }

    /// The output folder's path or the S3 prefix's URI.
    public var location: String { sink.location }

    /// `tiles/<scene name>/`, the scene name being the file name without extension.
    public static func defaultOutputFolder(for source: String) -> URL {
        URL(fileURLWithPath: "tiles").appendingPathComponent(sceneName(source))
    }

    public static func sceneName(_ source: String) -> String {
        let last = source.split(separator: "?").first.map(String.init) ?? source
        let name = (last as NSString).lastPathComponent
        let stem = (name as NSString).deletingPathExtension
        return stem.isEmpty ? "scene" : stem
    }

    public func run(cancellation: CancellationFlag = CancellationFlag(),
                    progress: (@Sendable (TileProgress) -> Void)? = nil) throws -> TileReport {
        let started = Date()
        try options.validate()
        let raster = try Raster.open(source)
        let plan = try TilePlan(raster: raster, options: options)
        let writer = TileFileWriter(sink: sink, options: options, metadata: plan.metadata)
        let records = TileRecords(count: plan.grid.count)
        defer { sink.close() }
        let mine = plan.tiles(of: options.shard)
        let journal = try prepareOutput(plan, writer: writer, records: records, mine: mine)
        let pending = mine.filter { !records.isDone($0) }

        GDALRuntime.setCacheLimit(bytes: plan.cacheBytes(threads: options.threads))
        do {
            try runWorkers(plan: plan, units: plan.workUnits(pending, threads: options.threads), writer: writer,
                           journal: journal, records: records, cancellation: cancellation,
                           progress: progress, started: started)
            try sink.drain()
        } catch {
            try? sink.drain()
            try? journal.finish()  // keep what did finish for the rerun
            throw error
        }
        try journal.finish()

        guard records.areDone(mine) else {
            throw TilingError.interrupted(completed: records.completedCount, total: mine.count, outDir: sink.location,
                                          shard: options.shard)
        }
        let own = records.current
        var report = TileReport(
            scene: source, output: sink.location, index: indexLocation,
            gridRows: plan.grid.rows, gridCols: plan.grid.cols, written: own.count(.written, among: mine),
            skippedEmpty: own.count(.skippedEmpty, among: mine), resumed: own.count(.resumed, among: mine),
            elapsedSeconds: 0, georeferenced: plan.isGeoreferenced, warnings: plan.warnings,
            shard: options.shard, shardTiles: mine.count)
        let whole: TileRecords.Table?
        if let shard = options.shard {
            try sink.refresh()
            whole = try wholeJob(plan, writer: writer, own: records, shard: shard)
        } else {
            whole = records.complete
        }
        if let whole {
            let index = TileIndex(name: Self.sceneName(source), grid: plan.grid, writer: writer, metadata: plan.metadata,
                                  about: plan.about(source: source, options: options))
            try sink.publishIndex(tag: options.shard?.label) { url in
                try index.write(to: url, records: whole, temporaryTag: options.shard?.label)
            }
        }
        report.indexWritten = whole != nil
        report.elapsedSeconds = Date().timeIntervalSince(started)
        return report
    }

    private var indexLocation: String {
        sink.location.hasSuffix("/") ? sink.location + TileIndex.fileName : sink.location + "/" + TileIndex.fileName
    }

    /// The whole job's outcomes once every shard has finished, read from their
    /// journals (this shard's from `own`); nil while some shard has tiles to do.
    /// Shards finishing at the same moment may both find the job complete and
    /// both write the index: the same bytes, each put in place whole.
    private func wholeJob(_ plan: TilePlan, writer: TileFileWriter, own: TileRecords, shard: TileShard) throws -> TileRecords.Table? {
        let whole = TileRecords(count: plan.grid.count)
        let signature = plan.signature(source: source, options: options)
        let table = own.current
        for index in plan.tiles(of: shard) {
            if let outcome = table.outcome(at: index) { whole.set(outcome) }
        }
        for other in 0..<shard.count where other != shard.index {
            let part = try TileShard(index: other, count: shard.count)
            let found = try sink.readJournal(of: part, signature: signature) { outcome in
                // Only a tile of that shard's own part counts (a journal is not trusted beyond it).
                guard part.owns(outcome.index, rows: plan.grid.rows, cols: plan.grid.cols) else { return }
                restore(outcome, grid: plan.grid, writer: writer, records: whole)
            }
            guard found, whole.areDone(plan.tiles(of: part)) else { return nil }
        }
        return whole.complete
    }

    // MARK: - Output and resume

    /// Opens the journal: the earlier run's with its finished tiles restored
    /// into `records` on --resume, a fresh one otherwise.
    /// A shard always picks up its own journal: a shard that died is simply run again.
    private func prepareOutput(_ plan: TilePlan, writer: TileFileWriter, records: TileRecords, mine: some Sequence<Int>) throws -> TileRecorder {
        let shard = options.shard
        let ownTiles = shard.map { _ in mine.map { writer.fileName(plan.grid.tile(at: $0)) } }
        return try sink.prepare(signature: plan.signature(source: source, options: options), shard: shard,
                                resume: options.resume, ownTiles: ownTiles) { outcome in
            guard shard?.owns(outcome.index, rows: plan.grid.rows, cols: plan.grid.cols) ?? true else { return }
            restore(outcome, grid: plan.grid, writer: writer, records: records)
        }
    }

    /// A tile the journal lists counts as done while its file is still there.
    private func restore(_ outcome: TileOutcome, grid: TileGrid, writer: TileFileWriter, records: TileRecords) {
        guard grid.contains(outcome.index) else { return }
        if outcome.hasFile {
            guard sink.contains(writer.fileName(grid.tile(at: outcome.index))) else { return }
        }
        var restored = outcome
        if restored.state == .written { restored.state = .resumed }
        records.set(restored)
    }

    // MARK: - Workers

    private func runWorkers(plan: TilePlan, units: [Range<Int>], writer: TileFileWriter, journal: TileRecorder,
                            records: TileRecords, cancellation: CancellationFlag,
                            progress: (@Sendable (TileProgress) -> Void)?, started: Date) throws {
        let total = plan.grid.count
        try WorkerThreads.run(count: units.count, threads: options.threads, stop: { cancellation.isCancelled },
                              makeState: { [self] in try TileWorker(source: source, plan: plan, writer: writer, skipEmpty: options.skipEmpty) },
                              job: { worker, unit, isStopping in
            for index in units[unit] {
                if isStopping() { break }
                try worker.process(plan.grid.tile(at: index)) { outcome in
                    try journal.record(outcome)
                    let completed = records.set(outcome)
                    progress?(TileProgress(completed: completed, total: total, elapsedSeconds: Date().timeIntervalSince(started)))
                }
            }
        })
    }

    /// A file error's reason in a line: the POSIX reason when Foundation wraps one.
    public static func reason(_ error: Error) -> String {
        if let error = error as? CocoaError, let underlying = error.userInfo[NSUnderlyingErrorKey] as? NSError,
           underlying.domain == NSPOSIXErrorDomain {
            return String(cString: strerror(Int32(underlying.code)))
        }
        return (error as NSError).localizedDescription
    }
}
