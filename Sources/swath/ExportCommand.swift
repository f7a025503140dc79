import ArgumentParser
import Foundation
import SwathGeo
import SwathExport
import SwathLabels
import SwathTiling

struct ExportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write training chips: image.tif (COG), labels.geojson, mask.tif and a STAC item per chip, with spatial splits.",
        discussion: "Only ground covered by tasks in the wanted statuses is exported. Exit status 1 when a scene could not be read "
            + "(the rest is still exported)."
    )

    @OptionGroup var database: DatabaseOption
    @Option(help: "Project id.") var project: Int64
    @Option(help: "Output folder, or an S3 prefix s3://bucket/prefix/ (chips uploaded whole, the manifest last).") var out: String
    @Option(help: "Chip width and height in pixels.") var chipSize = 512
    @Option(help: "Pixels shared by neighbouring chips.") var overlap = 0
    @Option(help: "Bands for image.tif, e.g. 3,2,1 (default: all).") var bands: String?
    @Option(help: "Outputs besides image.tif and manifest.jsonl: geojson,pixel,mask,coco,stac, and wildfire (feature stacks).")
    var formats = "geojson,pixel,mask,coco,stac"
    @Option(help: "For wildfire: a DEM (any CRS) for the terrain features.") var dem: String?
    @Option(help: "For wildfire: reflectance = DN × scale + offset.") var reflectanceScale: Double = 1
    @Option(help: "For wildfire: the reflectance offset (a negative one as --reflectance-offset=-0.1).") var reflectanceOffset: Double = 0
    @Option(help: "Task statuses whose labels to export, comma-separated.") var status = "accepted"
    @Option(help: "Splits: blocks=CHIPS,ratios=TRAIN/VAL/TEST,seed=N.") var split = "blocks=8,ratios=0.7/0.15/0.15,seed=1"
    @Option(help: "Share of chips without labels to keep (0–1).") var backgroundRatio = 0.1
    @Option(help: "Chips with less labelled area than this share count as background.") var minLabelled = 0.0
    @Flag(help: "Keep chips an interrupted export already wrote.") var resume = false
    @Option(help: "Parallel chip writers (default: every core).") var threads = ProcessInfo.processInfo.activeProcessorCount
    @Option(help: ArgumentHelp("Do shard I of N (I from 0): chips dealt out in turn; the last shard to finish writes the manifest, "
                               + "COCO files and catalog. A shard run again keeps its finished chips.", valueName: "I/N"))
    var shard: String?
    @Option(help: ArgumentHelp("Do one of N shards, its index from JOB_COMPLETION_INDEX or AWS_BATCH_JOB_ARRAY_INDEX.", valueName: "N"))
    var shards: Int?

    func run() async throws {
        try ObjectStorage.configure()  // scenes may be s3:// objects
        var options = ExportOptions()
        options.chipSize = chipSize
        options.overlap = overlap
        options.bands = try bands.map(TileCommand.parseBands)
        options.statuses = try StatusList.parse(status)
        options.split = try SplitSpec(parsing: split)
        options.backgroundRatio = backgroundRatio
        options.minimumLabelledFraction = minLabelled
        options.resume = resume
        options.formats = try ExportFormat.parse(formats)
        options.dem = dem
        options.reflectanceScale = reflectanceScale
        options.reflectanceOffset = reflectanceOffset
        options.threads = max(1, threads)
        let environment = ProcessInfo.processInfo.environment
        options.shard = try TileShard.requested(shard: shard, shards: shards, environment: environment)
        options.pseudonymSecret = environment[ExportOptions.pseudonymSecretVariable].flatMap { $0.isEmpty ? nil : $0 }
        let service = try await database.service()
        let exporter = if let objects = try ObjectPrefix.parse(out) {
            Exporter(service: service, projectId: project, objects: objects, options: options)
        } else {
            Exporter(service: service, projectId: project, outDir: URL(fileURLWithPath: out), options: options)
        }
        let bar = ProgressBar.forStandardError(unit: "chips")
        let started = Date()
        let report = try await exporter.run(by: .commandLine) { done, total in
            bar?.update(TileProgress(completed: done, total: total, elapsedSeconds: Date().timeIntervalSince(started)))
        }
        if report.chipsWritten + report.chipsResumed > 0 { bar?.finish() }
        report.notes.forEach(printWarning)
        print(report.summary)
        if !report.sceneFailures.isEmpty { throw ExportError.scenesFailed(report.sceneFailures) }
    }
}
