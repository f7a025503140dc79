import Foundation
import Synchronization
import SwathGeo
import SwathTiling

/// Turns a post-fire scene (and its pre-fire scene and a DEM) into Float32
/// feature stacks: one COG per chip of the export grid, or one tiled GeoTIFF
/// for the whole scene (`chipSize` 0), plus `features.json`. Windows are
/// computed on `threads` threads, each with its own GDAL handles; every file
/// is written under a temporary name and renamed when complete.
public enum WildfireExtractor {
    /// Whole-scene stacks are computed in strips of this many rows: one row of
    /// the stack's 512-pixel blocks, so each strip completes its blocks and
    /// they leave the block cache at once instead of crowding out input blocks.
    static let stripRows = 512
    /// The files that describe the stacks, in the order an upload puts them last (the catalog at the very end).
    public static let catalogFiles = ["summary.json", "perimeters.csv", "perimeters.json", "features.json"]

    /// `ledger`: where a sharded job records finished chips (default: beside them in `output`).
    public static func run(post: SceneInput, pre: SceneInput?, dem: String?, labels: [BurnLabel] = [], landCover: [ClassedShape] = [],
                           options: WildfireOptions, output: URL, ledger: WildfireLedger? = nil) throws -> WildfireReport {
        let started = Date()
        guard options.chipSize == 0 || options.chipSize >= 16 else {
            throw WildfireError("--chip-size must be 0 (one stack) or at least 16, got \(options.chipSize)")
        }
        guard options.shard == nil || options.chipSize > 0 else {
            throw WildfireError("--shard needs chips (--chip-size 16 or more): one stack for the whole scene cannot be shared out")
        }
        let job = try prepare(post: post, pre: pre, dem: dem, labels: labels, landCover: landCover, options: options)
        try FileManager.default.createDirectory(at: output, withIntermediateDirectories: true)
        let written: [(String, StackSummary)]
        if options.chipSize == 0 {
            written = [try wholeScene(job.size, layout: job.layout, threads: options.threads, output: output, makeSources: job.makeSources)]
        } else {
            // The export's grid: full-size chips, padded with nodata past the scene's edge.
            let grid = TileGrid(sceneSize: job.size, size: options.chipSize, overlap: 0, edge: .pad)
            try FileManager.default.createDirectory(at: output.appendingPathComponent("chips"), withIntermediateDirectories: true)
            let names = (0..<grid.count).map { index -> String in
                let tile = grid.tile(at: index)
                return "chips/r\(tile.row)_c\(tile.col).tif"
            }
            let targets = (0..<grid.count).map { index -> (Window, URL) in
                let tile = grid.tile(at: index)
                let chip = Window(col: tile.sourceWindow.col, row: tile.sourceWindow.row, width: tile.outputSize.width, height: tile.outputSize.height)
                return (chip, output.appendingPathComponent(names[index]))
            }
            if let shard = options.shard {
                let ledger = ledger ?? FolderWildfireLedger(folder: output)
                let signature = Self.signature(job: job, post: post, pre: pre, dem: dem, options: options)
                let own = Array(shard.tiles(rows: grid.rows, cols: grid.cols).map { names[$0] })
                guard let all = try shardedStacks(targets, names: names, grid: grid, shard: shard, job: job, ledger: ledger,
                                                  signature: signature, threads: options.threads) else {
                    return WildfireReport(features: job.plan.features, files: own, seconds: Date().timeIntervalSince(started),
                                          leftOut: job.plan.leftOut, catalogWritten: false)
                }
                written = Array(zip(names, all))
            } else {
                written = Array(zip(names, try stacks(targets, job: job, threads: options.threads)))
            }
        }
        let files = written.map(\.0)
        try writeSummaries(written, transform: job.layout.transform, metresPerUnit: job.layout.crs.metresPerUnit, to: output)
        if let series = job.series { try PerimeterTable(series: series).write(to: output) }
        try FeatureCatalog(plan: job.plan, post: post, pre: job.plan.needsPre ? pre : nil, dem: job.plan.needsDEM ? dem : nil, options: options,
                           files: files, grid: job.size, crs: job.layout.crs, transform: job.layout.transform).write(to: output)
        return WildfireReport(features: job.plan.features, files: files, seconds: Date().timeIntervalSince(started),
                              leftOut: job.plan.leftOut)
    }

    /// One stack (COG) per window of the post-fire scene, written to the given
    /// files: how an export adds `wildfire.tif` to its chips. Returns the features.
    @discardableResult
    public static func writeStacks(post: SceneInput, pre: SceneInput?, dem: String?, labels: [BurnLabel] = [],
                                   landCover: [ClassedShape] = [], options: WildfireOptions,
                                   targets: [(window: Window, file: URL)]) throws -> [WildfireFeature] {
        let job = try prepare(post: post, pre: pre, dem: dem, labels: labels, landCover: landCover, options: options)
        _ = try stacks(targets, job: job, threads: options.threads)
        return job.plan.features
    }

    /// Everything checked and opened before any output: the plan, inputs on
    /// the scene grid, and the scene-wide label rasters.
    private struct Prepared {
        let plan: FeaturePlan
        let layout: StackLayout
        let size: Size
        let series: PerimeterSeries?
        let makeSources: @Sendable () throws -> FeatureSources
    }

    private static func prepare(post: SceneInput, pre: SceneInput?, dem: String?, labels: [BurnLabel], landCover: [ClassedShape],
                                options: WildfireOptions) throws -> Prepared {
        guard options.scale.isFinite, options.scale > 0, options.offset.isFinite else {
            throw WildfireError("--scale must be a positive number and --offset a finite one")
        }
        let dates = Set(labels.filter(\.burned).compactMap(\.observedAt))
        let plan = try FeaturePlan(requested: options.features, post: post, pre: pre, hasDEM: dem != nil, hasFireLabels: !labels.isEmpty,
                                   hasSeries: dates.count >= 2, hasLandCover: !landCover.isEmpty)
        let scene = try open(post)
        guard let crs = scene.crs, let transform = scene.geoTransform else {
            throw WildfireError("\(post.label) (\(post.path)) is not georeferenced")
        }
        if plan.needsPre, let pre { _ = try open(pre) }
        if plan.needsDEM, let dem { try DEMCoverage.check(dem, drivers: options.demDrivers, covers: scene) }
        let fire = plan.needsFire ? try FireContext(labels: labels, scene: scene) : nil
        let series = plan.needsSeries ? try PerimeterSeries(labels: labels, scene: scene) : nil
        let now = post.acquiredAt ?? series?.times.last
        let cover = plan.needsLandCover ? try LandCoverContext(labels: landCover, scene: scene) : nil
        let makeSources: @Sendable () throws -> FeatureSources = {
            try FeatureSources(plan: plan, options: options, post: post, pre: pre, dem: dem, fire: fire, series: series, now: now,
                               landCover: cover)
        }
        _ = try makeSources()  // every input opens and lines up before any work starts
        return Prepared(plan: plan, layout: StackLayout(features: plan.features, crs: crs, transform: transform), size: scene.size,
                        series: series, makeSources: makeSources)
    }

    private static func open(_ input: SceneInput) throws -> Raster {
        do {
            return try Raster.open(input.path)
        } catch let error as GeoError {
            throw WildfireError("\(input.label): \(error)")
        }
    }

    private static func wholeScene(_ size: Size, layout: StackLayout, threads: Int, output: URL,
                                   makeSources: @escaping @Sendable () throws -> FeatureSources) throws -> (String, StackSummary) {
        let name = "features.tif"
        let partial = output.appendingPathComponent(".\(name).part")
        let stack = try layout.create(partial.path, size: size, origin: (0, 0), driver: "GTiff",
                                      options: ["TILED=YES", "BLOCKXSIZE=512", "BLOCKYSIZE=512", "BIGTIFF=IF_SAFER",
                                                "COMPRESS=ZSTD", "ZSTD_LEVEL=1", "PREDICTOR=3", "NUM_THREADS=\(max(threads, 1))"])
        let writer = Mutex((stack, StackSummary()))
        let strips = (size.height + stripRows - 1) / stripRows
        // Each job walks a contiguous run of strips on one thread, so the rows
        // its DEM halo and its input blocks share stay in that thread's handles.
        let jobs = min(strips, max(threads, 1) * 2)
        do {
            try WorkerThreads.run(count: jobs, threads: threads, makeState: makeSources) { sources, job, isStopping in
                for strip in (strips * job / jobs)..<(strips * (job + 1) / jobs) where !isStopping() {
                    let row = strip * stripRows
                    let window = Window(col: 0, row: row, width: size.width, height: min(stripRows, size.height - row))
                    try sources.compute(window) { values in
                        let part = sources.summary(of: window, values: values)
                        try writer.withLock { state in
                            try state.0.writePlanes(window, bands: Array(1...layout.features.count), dataType: .float32, from: values.baseAddress!)
                            try state.0.flush()
                            state.1.add(part)
                        }
                    }
                }
            }
            try writer.withLock { try $0.0.close() }
        } catch {
            try? FileManager.default.removeItem(at: partial)
            throw error
        }
        try replace(output.appendingPathComponent(name), with: partial)
        return (name, writer.withLock { $0.1 })
    }

    /// This shard's chips (every Nth row) not already finished, each published with its summary as
    /// soon as it is written; then, if every shard's chips are finished, every chip's summary in grid
    /// order (nil while some shard still has chips to do).
    private static func shardedStacks(_ targets: [(window: Window, file: URL)], names: [String], grid: TileGrid, shard: TileShard,
                                      job: Prepared, ledger: WildfireLedger, signature: String, threads: Int) throws -> [StackSummary]? {
        try ledger.refresh()
        var unfinished: [Int] = []
        for index in shard.tiles(rows: grid.rows, cols: grid.cols) where try ledger.finished(names[index], signature: signature) == nil {
            unfinished.append(index)
        }
        let pending = unfinished
        _ = try stacks(pending.map { targets[$0] }, job: job, threads: threads) { position, summary in
            let index = pending[position]
            try ledger.publish(names[index], file: targets[index].file, summary: summary, signature: signature)
        }
        try ledger.refresh()
        var all: [StackSummary] = []
        for name in names {
            guard let summary = try ledger.finished(name, signature: signature) else { return nil }
            all.append(summary)
        }
        return all
    }

    /// What a sharded job's chips were made from: records of another job are refused.
    private static func signature(job: Prepared, post: SceneInput, pre: SceneInput?, dem: String?, options: WildfireOptions) -> String {
        let parts = ["post \(post.label)", "pre \(pre?.label ?? "none")", "dem \(dem.map { ($0 as NSString).lastPathComponent } ?? "none")",
                     "chips \(options.chipSize)", "scale \(options.scale)", "offset \(options.offset)",
                     "features " + job.plan.features.map(\.name).joined(separator: ",")]
        return parts.joined(separator: "; ")
    }

    /// A COG per target window, each written under a temporary name and renamed; `finished`
    /// is told of each as soon as it is in place (from the worker's thread).
    private static func stacks(_ targets: [(window: Window, file: URL)], job: Prepared, threads: Int,
                               finished: (@Sendable (Int, StackSummary) throws -> Void)? = nil) throws -> [StackSummary] {
        let summaries = Mutex([StackSummary](repeating: StackSummary(), count: targets.count))
        let layout = job.layout
        try WorkerThreads.run(count: targets.count, threads: threads, makeState: job.makeSources) { sources, index, _ in
            let (window, final) = targets[index]
            let memory = try layout.create("", size: Size(width: window.width, height: window.height),
                                           origin: (window.col, window.row), driver: "MEM", options: [])
            // Chips padded past the scene's edge (as export chips are) are nodata there.
            let inside = window.intersection(Window(col: 0, row: 0, width: job.size.width, height: job.size.height))
            if inside != window {
                for band in 1...layout.features.count { try memory.fill(band: band, value: Double(WildfireFeature.noData)) }
            }
            if let inside, inside.pixelCount > 0 {
                try sources.compute(inside) { values in
                    try memory.writePlanes(Window(col: inside.col - window.col, row: inside.row - window.row, width: inside.width,
                                                  height: inside.height),
                                           bands: Array(1...layout.features.count), dataType: .float32, from: values.baseAddress!)
                    let summary = sources.summary(of: inside, values: values)
                    summaries.withLock { $0[index] = summary }
                }
            }
            let partial = final.deletingLastPathComponent().appendingPathComponent(".\(final.lastPathComponent).part")
            do {
                try Raster.createCopy(of: memory, to: partial.path, driver: "COG",
                                      options: ["COMPRESS=DEFLATE", "PREDICTOR=YES", "BLOCKSIZE=512", "OVERVIEWS=NONE"])
                try replace(final, with: partial)
            } catch {
                try? FileManager.default.removeItem(at: partial)
                throw error
            }
            try finished?(index, summaries.withLock { $0[index] })
        }
        return summaries.withLock { $0 }
    }

    /// `summary.json`: one object per stack file.
    private static func writeSummaries(_ written: [(String, StackSummary)], transform: GeoTransform, metresPerUnit: Double,
                                       to folder: URL) throws {
        let pixelArea = abs(transform.determinant) * metresPerUnit * metresPerUnit
        let pixelSize = abs(transform.coefficients[1]) * metresPerUnit
        let document = JSONValue.array(written.map { $0.1.json(file: $0.0, pixelArea: pixelArea, pixelSize: pixelSize) })
        try Data(document.serialized).write(to: folder.appendingPathComponent("summary.json"), options: .atomic)
    }

    static func replace(_ destination: URL, with source: URL) throws {
        _ = try? FileManager.default.removeItem(at: destination)
        try FileManager.default.moveItem(at: source, to: destination)
    }
}
