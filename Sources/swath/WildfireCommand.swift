import ArgumentParser
import Foundation
import SwathExport
import SwathGeo
import SwathLabels
import SwathTiling
import SwathWildfire

struct WildfireCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "wildfire",
        abstract: "Wildfire features (spectral, change, terrain, fire, spread, land cover) as Float32 stacks: a COG per chip, or one GeoTIFF.",
        discussion: "Bands are named by their description (ndvi_post, nbr_pre, dnbr, severity, slope_deg, burned, fire_distance_m, …); "
            + "features.json gives each band's formula and units, summary.json per-file numbers, perimeters.csv/json the dated "
            + "perimeters. Nodata is -9999. A DEM in any CRS or resolution is warped onto the scene's grid."
    )

    @OptionGroup var database: DatabaseOption
    @Option(help: "Project id.") var project: Int64
    @Option(help: "The post-fire scene id.") var scene: Int64
    @Option(help: "The pre-fire scene id (default: the scene's pre-event link).") var pre: Int64?
    @Option(help: "A DEM (any CRS and resolution) for the terrain features.") var dem: String?
    @Option(help: "Output folder, or an S3 prefix s3://bucket/prefix/ (every file uploaded whole, features.json last).") var out: String
    @Option(help: "Chip size on the export grid; 0 writes one stack for the whole scene.") var chipSize = 512
    @Option(help: "Features or groups (spectral, change, terrain, fire, spread, landcover), comma-separated (default: all the inputs allow).")
    var features: String?
    @Option(help: "Reflectance = DN × scale + offset (Sentinel-2 L2A: 0.0001).") var scale: Double = 1
    @Option(help: "Reflectance offset; a negative one as --offset=-0.1.") var offset: Double = 0
    @Option(help: "Statuses of the tasks whose labels make the fire, spread and land-cover features, comma-separated.") var status = "accepted"
    @Option(help: "Threads (default: every core).") var threads = ProcessInfo.processInfo.activeProcessorCount
    @Option(help: ArgumentHelp("Do shard I of N (I from 0): every Nth row of chips; the last shard to finish writes summary.json "
                               + "and features.json. A shard run again keeps its finished chips.", valueName: "I/N"))
    var shard: String?
    @Option(help: ArgumentHelp("Do one of N shards, its index from JOB_COMPLETION_INDEX or AWS_BATCH_JOB_ARRAY_INDEX.", valueName: "N"))
    var shards: Int?

    func run() async throws {
        try ObjectStorage.configure()  // scenes may be s3:// objects
        // Input blocks and the stack's dirty blocks; GDAL's default is 5% of RAM.
        GDALRuntime.setCacheLimit(bytes: 512 << 20)
        let statuses = try StatusList.parse(status)
        let service = try await database.service()
        _ = try await service.sceneForMap(id: scene, by: .commandLine)  // "scene N not found" before anything else
        let source = try await service.exportSource(projectId: project, statuses: statuses, by: .commandLine)
        let inputs = try source.wildfireInputs(sceneId: scene, preSceneId: pre)
        var options = WildfireOptions(scale: scale, offset: offset, chipSize: chipSize, threads: max(1, threads))
        options.shard = try TileShard.requested(shard: shard, shards: shards, environment: ProcessInfo.processInfo.environment)
        options.features = features.map { $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } }
        if inputs.burnLabels.isEmpty, options.features == nil {
            printWarning("scene \(scene) has no burn-scar labels in tasks that are \(status): fire features skipped")
        }
        // An S3 output is written to a local staging folder first, then uploaded whole, file by file.
        let output = try StagedFolder(out, stagingName: "swath-wildfire")
        try output.objects?.checkReachable()  // before the work, not after it
        defer { output.removeStaging() }
        // A sharded job on S3 uploads each chip as it is written (with its record); the rest goes up at the end.
        let ledger: WildfireLedger? = options.shard == nil ? nil : output.objects.map(ObjectWildfireLedger.init(prefix:))
        let report = try WildfireExtractor.run(post: inputs.post, pre: inputs.pre, dem: dem, labels: inputs.burnLabels,
                                               landCover: inputs.landCover, options: options, output: output.folder, ledger: ledger)
        try output.deliver(last: WildfireExtractor.catalogFiles)
        print(String(format: "wrote %d file(s), %d feature bands each, in %.1f s: %@", report.files.count, report.features.count,
                     report.seconds, report.features.map(\.name).joined(separator: ", ")))
        if let shard = options.shard {
            print(report.catalogWritten ? "shard \(shard): summary.json and features.json written by this shard, the last to finish"
                                        : "shard \(shard): summary.json and features.json when the other shards have finished, by the last of them")
        }
        if !report.leftOut.isEmpty {
            printWarning("left out: " + report.leftOut.joined(separator: "; "))
        }
        if !inputs.burnLabels.isEmpty, !report.features.contains(where: { $0.group == .spread }) {
            printWarning("burned perimeters were observed at fewer than two times: no spread features")
        }
    }
}
