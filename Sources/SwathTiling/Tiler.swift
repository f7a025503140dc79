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
    public let outDir: URL
    public let options: TileOptions

    /// Refuses grids larger than this: a small file declaring absurd
    /// dimensions must not turn into millions of tile records.
    public static let maximumTileCount = 1_000_000
    /// One tile's pixels, per worker.
    public static let maximumTileBytes = 1 << 30

    public init(source: String, outDir: URL? = nil, options: TileOptions) {
        self.source = source
        self.outDir = outDir ?? Self.defaultOutputFolder(for: source)
        self.options = options
    }

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
        let writer = TileFileWriter(outDir: outDir, options: options, metadata: plan.metadata)
        let records = TileRecords(count: plan.grid.count)
        let journal = try prepareOutput(plan, writer: writer, records: records)
        let mine = plan.tiles(of: options.shard)
        let pending = mine.filter { !records.isDone($0) }

        GDALRuntime.setCacheLimit(bytes: plan.cacheBytes(threads: options.threads))
        try runWorkers(plan: plan, units: plan.workUnits(pending, threads: options.threads), writer: writer,
                       journal: journal, records: records, cancellation: cancellation,
                       progress: progress, started: started)

        guard records.areDone(mine) else {
            throw TilingError.interrupted(completed: records.completedCount, total: mine.count, outDir: outDir.path,
                                          shard: options.shard)
        }
        let own = records.current
        var report = TileReport(
            scene: source, outDir: outDir, indexURL: outDir.appendingPathComponent(TileIndex.fileName),
            gridRows: plan.grid.rows, gridCols: plan.grid.cols, written: own.count(.written, among: mine),
            skippedEmpty: own.count(.skippedEmpty, among: mine), resumed: own.count(.resumed, among: mine),
            elapsedSeconds: 0, georeferenced: plan.isGeoreferenced, warnings: plan.warnings,
            shard: options.shard, shardTiles: mine.count)
        let whole: TileRecords.Table?
        if let shard = options.shard {
            whole = try wholeJob(plan, writer: writer, own: records, shard: shard)
        } else {
            whole = records.complete
        }
        if let whole {
            try TileIndex(name: Self.sceneName(source), grid: plan.grid, writer: writer, metadata: plan.metadata,
                          about: plan.about(source: source, options: options))
                .write(to: report.indexURL, records: whole, temporaryTag: options.shard?.label)
        }
        report.indexWritten = whole != nil
        report.elapsedSeconds = Date().timeIntervalSince(started)
        return report
    }

    /// The whole job's outcomes once every shard has finished, read from their
    /// journals (this shard's from `own`); nil while some shard has tiles to do.
    /// Shards finishing at the same moment may both find the job complete and
    /// both write the index: the same bytes, each renamed into place whole.
    private func wholeJob(_ plan: TilePlan, writer: TileFileWriter, own: TileRecords, shard: TileShard) throws -> TileRecords.Table? {
        let whole = TileRecords(count: plan.grid.count)
        let signature = plan.signature(source: source, options: options)
        let table = own.current
        for index in plan.tiles(of: shard) {
            if let outcome = table.outcome(at: index) { whole.set(outcome) }
        }
        for other in 0..<shard.count where other != shard.index {
            let part = try TileShard(index: other, count: shard.count)
            let found = try TileJournal.readShard(part, in: outDir, expecting: signature) { outcome in
                // Only a tile of that shard's own part counts (a journal is not trusted beyond it).
                guard part.owns(outcome.index, rows: plan.grid.rows, cols: plan.grid.cols) else { return }
                restore(outcome, grid: plan.grid, writer: writer, records: whole)
            }
            guard found, whole.areDone(plan.tiles(of: part)) else { return nil }
        }
        return whole.complete
    }

    // MARK: - Output folder and resume

    /// Opens the journal: the earlier run's with its finished tiles restored
    /// into `records` on --resume, a fresh one otherwise.
    /// A shard always picks up its own journal: a shard that died is simply run again.
    private func prepareOutput(_ plan: TilePlan, writer: TileFileWriter, records: TileRecords) throws -> TileJournal {
        try createOutputFolder()
        if let shard = options.shard {
            removeStaleTemporaries(of: shard, plan: plan, writer: writer)
        } else {
            removeStaleTemporaries()
        }
        let signature = plan.signature(source: source, options: options)
        let shard = options.shard
        do {
            if options.resume || shard != nil,
               let journal = try TileJournal.load(in: outDir, expecting: signature, shard: shard, tile: { outcome in
                   guard shard?.owns(outcome.index, rows: plan.grid.rows, cols: plan.grid.cols) ?? true else { return }
                   restore(outcome, grid: plan.grid, writer: writer, records: records)
               }) {
                return journal
            }
            return try TileJournal.create(in: outDir, signature: signature, shard: shard)
        } catch let error as TilingError {
            throw error
        } catch {
            throw TilingError.outputFolder(path: outDir.path, reason: Self.reason(error))
        }
    }

    private func createOutputFolder() throws {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: outDir.path, isDirectory: &isDirectory) {
            guard isDirectory.boolValue else {
                throw TilingError.outputFolder(path: outDir.path, reason: "it is a file, not a folder")
            }
        } else {
            do {
                try FileManager.default.createDirectory(at: outDir, withIntermediateDirectories: true)
            } catch {
                throw TilingError.outputFolder(path: outDir.path, reason: Self.reason(error))
            }
        }
        guard access(outDir.path, W_OK) == 0 else {
            throw TilingError.outputFolder(path: outDir.path, reason: String(cString: strerror(errno)))
        }
    }

    /// A run killed outright (SIGKILL, power loss) can leave hidden `.part`
    /// files; they are never under a final name, and are cleared here.
    private func removeStaleTemporaries() {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: outDir.path)) ?? []
        for name in names where name.hasPrefix(".") && (name.hasSuffix(TileFileWriter.temporarySuffix)
            || name.hasSuffix(TileFileWriter.temporarySuffix + ".aux.xml")) {
            try? FileManager.default.removeItem(at: outDir.appendingPathComponent(name))
        }
    }

    /// A shard clears only its own leftovers: the other shards may be writing theirs right now.
    private func removeStaleTemporaries(of shard: TileShard, plan: TilePlan, writer: TileFileWriter) {
        for index in plan.tiles(of: shard) {
            let temporary = writer.temporaryURL(plan.grid.tile(at: index)).path
            unlink(temporary)
            unlink(temporary + ".aux.xml")
        }
        unlink(TileIndex.temporaryURL(for: outDir.appendingPathComponent(TileIndex.fileName), tag: shard.label).path)
    }

    /// A tile the journal lists counts as done while its file is still there.
    private func restore(_ outcome: TileOutcome, grid: TileGrid, writer: TileFileWriter, records: TileRecords) {
        guard grid.contains(outcome.index) else { return }
        if outcome.hasFile {
            guard FileManager.default.fileExists(atPath: writer.finalURL(grid.tile(at: outcome.index)).path) else { return }
        }
        var restored = outcome
        if restored.state == .written { restored.state = .resumed }
        records.set(restored)
    }

    // MARK: - Workers

    private func runWorkers(plan: TilePlan, units: [Range<Int>], writer: TileFileWriter, journal: TileJournal,
                            records: TileRecords, cancellation: CancellationFlag,
                            progress: (@Sendable (TileProgress) -> Void)?, started: Date) throws {
        let total = plan.grid.count
        try WorkerThreads.run(count: units.count, threads: options.threads, stop: { cancellation.isCancelled },
                              makeState: { [self] in try TileWorker(source: source, plan: plan, writer: writer, skipEmpty: options.skipEmpty) },
                              job: { worker, unit, isStopping in
            for index in units[unit] {
                if isStopping() { break }
                let outcome = try worker.process(plan.grid.tile(at: index))
                try journal.record(outcome)
                let completed = records.set(outcome)
                progress?(TileProgress(completed: completed, total: total, elapsedSeconds: Date().timeIntervalSince(started)))
            }
        })
    }

    static func reason(_ error: Error) -> String {
        if let error = error as? CocoaError, let underlying = error.userInfo[NSUnderlyingErrorKey] as? NSError,
           underlying.domain == NSPOSIXErrorDomain {
            return String(cString: strerror(Int32(underlying.code)))
        }
        return (error as NSError).localizedDescription
    }
}
