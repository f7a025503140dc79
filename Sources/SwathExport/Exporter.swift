import Foundation
import Synchronization
import SwathGeo
import SwathLabels
import SwathWildfire
import SwathTiling

/// Turns a project's labels into training chips: per chip an image (COG),
/// its labels (RFC 7946), a class mask and a STAC item; for the whole export
/// a STAC catalog and manifest.jsonl with leakage-free splits.
public struct Exporter: Sendable {
    public let service: LabelingService
    public let projectId: ProjectID
    public let options: ExportOptions
    let output: ExportOutput
    /// A release's frozen dataset, exported instead of the live project (with its lineage and pseudonym key).
    var release: (source: ExportSource, lineage: ReleaseLineage, pseudonym: Pseudonym)? = nil
    /// A release's dataset card: written beside the catalog, published before the manifest; returns the files' names.
    var releaseCard: (@Sendable (URL) throws -> [String])? = nil

    /// Exports into a local folder.
    public init(service: LabelingService, projectId: ProjectID, outDir: URL, options: ExportOptions) {
        self.init(service: service, projectId: projectId, output: ExportOutput(folder: outDir), options: options)
    }

    /// Exports into an S3 prefix, each object uploaded whole.
    public init(service: LabelingService, projectId: ProjectID, objects: ObjectPrefix, options: ExportOptions) {
        self.init(service: service, projectId: projectId, output: ExportOutput(objects: objects), options: options)
    }

    init(service: LabelingService, projectId: ProjectID, output: ExportOutput, options: ExportOptions) {
        self.service = service
        self.projectId = projectId
        self.output = output
        self.options = options
    }

    /// `progress(done, total)` is called after every chip written.
    public func run(by caller: User, progress: (@Sendable (Int, Int) -> Void)? = nil) async throws -> ExportReport {
        let started = Date()
        try options.validate()
        let source: ExportSource
        if let release { source = release.source } else {
            source = try await service.exportSource(projectId: projectId, statuses: options.statuses, by: caller)
        }
        let (readable, failures) = try checkScenes(source.scenes)
        // Each chip is read once: a small block cache keeps memory flat on any scene.
        GDALRuntime.setCacheLimit(bytes: 128 << 20)
        try output.prepare()
        defer { output.close() }
        var report = ExportReport(output: output.location, chipsWritten: 0, chipsResumed: 0, chipsBySplit: [:], labelsExported: 0,
                                  skippedBackground: 0, droppedForBuffer: 0, outsideReviewedTasks: 0, sceneFailures: failures, notes: [],
                                  elapsedSeconds: 0, shard: options.shard)
        if source.labels.isEmpty {
            report.notes.append("project \(source.project.codename) has no labels with status "
                + options.statuses.map(\.rawValue).sorted().joined(separator: "/") + ": the catalog is empty")
        }
        var writer = ChipWriter(outDir: output.folder, taxonomy: source.project.taxonomy, codename: source.project.codename,
                                bands: options.bands,
                                pseudonym: release?.pseudonym ?? options.pseudonymSecret.map(Pseudonym.init(secret:)) ?? Pseudonym())
        writer.formats = options.formats
        writer.lineage = release?.lineage
        let selector = ChipSelector(options: options, taxonomy: source.project.taxonomy)
        var entries: [ManifestEntry] = []
        var cocoImages: [CocoWriter.Image] = []
        let selections = try selector.selectAll(source)
        try release?.lineage.check(selections, scenes: source.scenes)
        let wildfire = options.formats.contains(.wildfire)
        // Chips are dealt to shards in turn over every scene's selection, readable here or not,
        // so that every machine deals them alike.
        var item = 0
        let everyChip = source.scenes.reduce(0) { $0 + (selections[$1.id]?.chips.count ?? 0) }
        let total = options.shard.map { shard in (0..<everyChip).filter { shard.owns(item: $0) }.count } ?? everyChip
        let done = Atomic<Int>(0)
        let tick: @Sendable () -> Void = { progress?(done.add(1, ordering: .relaxed).newValue, total) }
        for scene in source.scenes {
            guard let selection = selections[scene.id] else { continue }
            let first = item
            item += selection.chips.count
            guard readable.contains(scene.id) else { continue }
            report.droppedForBuffer += selection.droppedForBuffer
            report.outsideReviewedTasks += selection.outsideReviewedTasks
            report.skippedBackground += selection.skippedBackground
            var pending: [SelectedChip] = []
            for (offset, selected) in selection.chips.enumerated() {
                let chip = selected.chip
                entries.append(ManifestEntry(selected))
                report.chipsBySplit[chip.split, default: 0] += 1
                report.labelsExported += selected.labels.count
                if options.formats.contains(.coco) {
                    cocoImages.append(.init(chip: chip, labels: selected.labels.map { PixelLabel($0, chip: chip, transform: scene.transform) }))
                }
                guard options.shard?.owns(item: first + offset) ?? true else { continue }
                // A chip is complete only once whole (a folder renamed into place, or its image uploaded last);
                // a shard always keeps what it finished before.
                if options.resume || options.shard != nil, output.isComplete(chip.id, wildfire: wildfire) {
                    report.chipsResumed += 1
                    tick()
                } else {
                    pending.append(selected)
                }
            }
            _ = try ChipJob(scene: scene, writer: writer, threads: options.threads, onChip: tick).run(pending)
            if wildfire, !pending.isEmpty {
                try writeWildfire(pending, scene: scene, source: source, writer: writer)
            }
            try output.publishChips(pending.map(\.chip.id), threads: options.threads)
            report.chipsWritten += pending.count
        }
        if options.shard != nil {
            // Only the shard that finds every chip complete writes the manifest: the last to finish.
            try output.refresh()
            report.manifestWritten = entries.allSatisfy { output.isComplete($0.chip.id, wildfire: wildfire) }
        }
        if report.manifestWritten {
            try writeManifest(entries)
            if options.formats.contains(.coco) { try CocoWriter(taxonomy: source.project.taxonomy).write(cocoImages, to: output.folder) }
            if options.formats.contains(.stac) { try writeCatalog(entries, codename: source.project.codename, release: release?.lineage) }
            let card = try releaseCard?(output.folder) ?? []
            try output.publishFiles(card + DatasetSplit.allCases.map(CocoWriter.fileName) + ["catalog.json", "manifest.jsonl"])
        }
        report.elapsedSeconds = Date().timeIntervalSince(started)
        return report
    }

    /// wildfire.tif in each chip folder: the chip's window of the scene's
    /// wildfire feature stack (every feature the scene, its pre-fire link,
    /// `--dem` and the project's labels allow).
    private func writeWildfire(_ chips: [SelectedChip], scene: Scene, source: ExportSource, writer: ChipWriter) throws {
        let wildfire = WildfireOptions(scale: options.reflectanceScale, offset: options.reflectanceOffset, features: nil, chipSize: 0,
                                       threads: options.threads)
        do {
            try source.writeWildfireStacks(sceneId: scene.id, dem: options.dem, options: wildfire,
                                           targets: chips.map { ($0.chip.window, writer.finalURL($0.chip).appendingPathComponent("wildfire.tif")) })
        } catch let error as WildfireError {
            throw ExportError.invalidOption("--formats wildfire", error.description)
        }
    }

    /// Every scene opened, and the bands checked, before anything is written;
    /// a scene whose file went missing is reported and skipped.
    /// (Each chip writer opens its own handle; these are only opened to check.)
    private func checkScenes(_ scenes: [Scene]) throws -> (Set<SceneID>, [String]) {
        var readable = Set<SceneID>()
        var failures: [String] = []
        for scene in scenes {
            do {
                let raster = try Raster.open(scene.uri)
                if let bands = options.bands { try raster.checkBands(bands) }
                readable.insert(scene.id)
            } catch let error as GeoError {
                if case .invalidArgument = error { throw ExportError.invalidOption("--bands", error.description) }
                failures.append("scene \(scene.id): \(error.description)")
            }
        }
        return (readable, failures)
    }

    private func writeManifest(_ entries: [ManifestEntry]) throws {
        var text: [UInt8] = []
        for entry in entries.sorted(by: { $0.chip.id < $1.chip.id }) {
            text += entry.json.serialized
            text.append(0x0A)
        }
        try Data(text).write(to: output.folder.appendingPathComponent("manifest.jsonl"), options: .atomic)
    }

    /// A STAC Catalog linking every chip's item.
    private func writeCatalog(_ entries: [ManifestEntry], codename: String, release: ReleaseLineage?) throws {
        var links: [JSONValue] = [
            .object(["rel": .string("root"), "href": .string("./catalog.json"), "type": .string("application/json")]),
        ]
        for entry in entries.sorted(by: { $0.chip.id < $1.chip.id }) {
            links.append(.object(["rel": .string("item"), "href": .string("./chips/\(entry.chip.id)/item.json"),
                                  "type": .string("application/geo+json")]))
        }
        let catalog: JSONValue = .object([
            "type": .string("Catalog"),
            "stac_version": .string("1.0.0"),
            "id": .string(release.map { "swath-\(codename)-release-\($0.releaseId)" } ?? "swath-\(codename)"),
            "description": .string(release.map { "Release '\($0.releaseName)' (\($0.releaseId)) of project \(codename): image, labels, mask per chip; splits in manifest.jsonl" }
                                   ?? "Training chips of project \(codename): image, labels, mask per chip; splits in manifest.jsonl"),
            "links": .array(links),
        ])
        try Data(catalog.serialized).write(to: output.folder.appendingPathComponent("catalog.json"), options: .atomic)
    }
}
