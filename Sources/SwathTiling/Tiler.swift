import Foundation
import SwathGeo

/// Cuts a scene into georeferenced tiles on a regular grid, in parallel.
///
/// Each worker opens its own GDAL handle and owns one tile buffer, so memory
/// is one tile per worker plus GDAL's capped block cache, whatever the
/// scene's size. Workers take runs of neighbouring tiles along a row, so a
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
        let journal = try prepareOutput(plan)
        let store = OutcomeStore(count: plan.grid.count)
        let resumed = try restoreFinishedTiles(plan, journal: journal.outcomes, store: store)
        let pending = (0..<plan.grid.count).filter { !resumed.contains($0) }
        let writer = TileFileWriter(outDir: outDir, options: options, metadata: plan.metadata)

        GDALRuntime.setCacheLimit(bytes: plan.cacheBytes(threads: options.threads))
        try runWorkers(plan: plan, units: plan.workUnits(pending, threads: options.threads), writer: writer,
                       journal: journal.journal, store: store, cancellation: cancellation,
                       progress: progress, started: started)

        guard let outcomes = store.all else {
            throw TilingError.interrupted(completed: store.completedCount, total: plan.grid.count, outDir: outDir.path)
        }
        let indexURL = outDir.appendingPathComponent(TileIndex.fileName)
        try TileIndex(name: Self.sceneName(source), grid: plan.grid, outcomes: outcomes, writer: writer,
                      metadata: plan.metadata, about: plan.about(source: source, options: options)).write(to: indexURL)
        return TileReport(
            scene: source, outDir: outDir, indexURL: indexURL, gridRows: plan.grid.rows, gridCols: plan.grid.cols,
            written: outcomes.filter { $0.state == .written }.count,
            skippedEmpty: outcomes.filter { $0.state == .skippedEmpty }.count,
            resumed: outcomes.filter { $0.state == .resumed }.count,
            elapsedSeconds: Date().timeIntervalSince(started), georeferenced: plan.isGeoreferenced,
            warnings: plan.warnings)
    }

    // MARK: - Output folder and resume

    private func prepareOutput(_ plan: TilePlan) throws -> (journal: TileJournal, outcomes: [TileOutcome]) {
        try createOutputFolder()
        removeStaleTemporaries()
        let signature = plan.signature(source: source, options: options)
        do {
            if options.resume, let (journal, outcomes) = try TileJournal.load(in: outDir, expecting: signature) {
                return (journal, outcomes)
            }
            return (try TileJournal.create(in: outDir, signature: signature), [])
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

    /// Tiles the journal lists whose files are still there count as done.
    private func restoreFinishedTiles(_ plan: TilePlan, journal: [TileOutcome], store: OutcomeStore) throws -> Set<Int> {
        let writer = TileFileWriter(outDir: outDir, options: options, metadata: plan.metadata)
        var done = Set<Int>()
        for outcome in journal where outcome.index >= 0 && outcome.index < plan.grid.count {
            let tile = plan.grid.tile(at: outcome.index)
            let present = !outcome.hasFile || FileManager.default.fileExists(atPath: writer.finalURL(tile).path)
            guard present else { continue }
            var restored = outcome
            if restored.state == .written { restored.state = .resumed }
            store.set(restored)
            done.insert(outcome.index)
        }
        return done
    }

    // MARK: - Workers

    private func runWorkers(plan: TilePlan, units: [Range<Int>], writer: TileFileWriter, journal: TileJournal,
                            store: OutcomeStore, cancellation: CancellationFlag,
                            progress: (@Sendable (TileProgress) -> Void)?, started: Date) throws {
        let total = plan.grid.count
        try WorkerThreads.run(count: units.count, threads: options.threads, stop: { cancellation.isCancelled },
                              makeState: { [self] in try TileWorker(source: source, plan: plan, writer: writer, skipEmpty: options.skipEmpty) },
                              job: { worker, unit, isStopping in
            for index in units[unit] {
                if isStopping() { break }
                let outcome = try worker.process(plan.grid.tile(at: index))
                try journal.record(outcome)
                let completed = store.set(outcome)
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
