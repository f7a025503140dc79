import Foundation
import Synchronization
import SwathGeo
import SwathLabels
import SwathWildfire

/// Training chips over HTTP: paged chip metadata, and each chip's files
/// rendered on first request into a cache keyed by the project's version
/// (any label, review or scene change moves it on), with that as the ETag;
/// one render per chip at a time, and old versions pruned to a disk budget.
/// Chips use the export defaults (512 pixels, no overlap, blocks=8, seed 1).
public final class ChipService: Sendable {
    public static let files: [String: String] = [
        "image.tif": "image/tiff; application=geotiff; profile=cloud-optimized",
        "mask.tif": "image/tiff; application=geotiff; profile=cloud-optimized",
        "labels.geojson": "application/geo+json",
        "labels.pixel.json": "application/json",
        "item.json": "application/geo+json",
        "wildfire.tif": "image/tiff; application=geotiff; profile=cloud-optimized",
    ]

    let service: LabelingService
    let options: ExportOptions
    let cache: ChipCache
    /// Chips shared with other servers through S3 (nil: this server's disk only).
    let shared: SharedChipCache?
    /// Annotators' pseudonyms: under the operator's secret when given (servers sharing
    /// chips, or behind one load balancer, must agree), else under a key of this process.
    private let pseudonymSecret: String?
    private let processPseudonym = Pseudonym()
    /// One render per chip folder, and one wildfire run per scene, at a time.
    let chipRenders = ChipRenderGate()
    let wildfireRenders = ChipRenderGate()
    private let selectionCache = Mutex<[String: UncheckedBox<[SceneID: ChipSelector.Selection]>]>([:])
    private let sources = Mutex<[ProjectID: UncheckedBox<ExportSource>]>([:])

    /// `budgetBytes`: disk for rendered chips; older project versions are removed past it.
    /// `shared`: an S3 prefix servers on several machines share their renders through.
    /// `pseudonymSecret`: `SWATH_EXPORT_KEY`, which every server sharing chips needs.
    public init(service: LabelingService, cacheDirectory: URL, budgetBytes: Int = 2 << 30, options: ExportOptions = ExportOptions(),
                shared: ObjectPrefix? = nil, pseudonymSecret: String? = nil) {
        self.service = service
        self.cache = ChipCache(directory: cacheDirectory, budgetBytes: budgetBytes)
        self.options = options
        self.shared = shared.map(SharedChipCache.init(prefix:))
        self.pseudonymSecret = pseudonymSecret
    }

    /// One key per project, so pseudonyms of two projects cannot be joined.
    private func pseudonym(projectId: ProjectID) -> Pseudonym {
        pseudonymSecret.map { Pseudonym(secret: "\($0):chips:p\(projectId)") } ?? processPseudonym
    }

    public var cacheDirectory: URL { cache.directory }

    public struct Page: Sendable {
        public var chips: [JSONValue]
        public var nextCursor: String?
    }

    /// Chip metadata in id order, after `cursor`, at most `limit`.
    public func list(projectId: ProjectID, split: DatasetSplit?, cursor: String?, limit: Int, by caller: User) async throws -> Page {
        let source = try await exportSource(projectId: projectId, by: caller)
        var entries: [(id: String, json: JSONValue)] = []
        for (_, selection) in try selections(source) {
            for selected in selection.chips where split == nil || selected.chip.split == split {
                let chip = selected.chip
                guard cursor.map({ chip.id > $0 }) ?? true else { continue }
                var fields = ManifestEntry(selected).fields
                fields["files"] = .object(Dictionary(uniqueKeysWithValues: Self.files.keys.map {
                    ($0, JSONValue.string("/api/v1/chips/p\(projectId)_\(chip.id)/\($0)"))
                }))
                entries.append(("p\(projectId)_\(chip.id)", .object(fields)))
            }
        }
        entries.sort { $0.id < $1.id }
        let page = Array(entries.prefix(limit))
        return Page(chips: page.map(\.json), nextCursor: entries.count > limit ? page.last.map { Self.chipPart($0.id) } : nil)
    }

    /// A chip file with its ETag: rendered now if this version has not been,
    /// and read while its version is leased (pruning cannot remove it under
    /// the read). No bytes when `ifNoneMatch` is already the ETag.
    public func file(chipId: String, name: String, by caller: User, ifNoneMatch: String? = nil) async throws -> ChipFile {
        guard let contentType = Self.files[name] else {
            throw LabelingError.notFound("'\(name)' is not a chip file (\(Self.files.keys.sorted().joined(separator: ", ")))")
        }
        guard let (projectId, sceneId, row, col) = Self.parse(chipId) else { throw LabelingError.notFound("chip '\(chipId)' not found") }
        let source = try await exportSource(projectId: projectId, by: caller)
        guard let scene = source.scenes.first(where: { $0.id == sceneId }) else { throw LabelingError.notFound("chip '\(chipId)' not found") }
        guard let selected = try selections(source)[sceneId]?.chips.first(where: { $0.chip.row == row && $0.chip.col == col }) else {
            throw LabelingError.notFound("chip '\(chipId)' is not served (outside reviewed ground, in a split buffer, or background)")
        }
        let etag = "\"\(chipId)-v\(source.version)\""
        if ifNoneMatch == etag { return ChipFile(etag: etag, contentType: contentType, data: nil) }
        return try await cache.using(projectId: projectId, version: source.version) {
            let url = name == "wildfire.tif"
                ? try await wildfireFile(selected, scene: scene, source: source)
                : try await chipFolder(selected, chipId: chipId, scene: scene, source: source).appendingPathComponent(name)
            return ChipFile(etag: etag, contentType: contentType, data: try Data(contentsOf: url))
        }
    }

    /// The chip's folder (image, mask, labels, item), written by one render
    /// however many requests ask for its files at once.
    private func chipFolder(_ selected: SelectedChip, chipId: String, scene: Scene, source: ExportSource) async throws -> URL {
        let writer = ChipWriter(outDir: cache.folder(projectId: source.project.id, version: source.version),
                                taxonomy: source.project.taxonomy, codename: source.project.codename, bands: nil,
                                pseudonym: pseudonym(projectId: source.project.id))
        let final = writer.finalURL(selected.chip)
        if FileManager.default.fileExists(atPath: final.path) { return final }
        let (projectId, version) = (source.project.id, source.version)
        let key = SharedChipCache.key(projectId: projectId, version: version, "chips/\(selected.chip.id)")
        try await chipRenders.run(final.path) { [cache, shared] in
            // Another request's render may have finished between the check above and this run.
            guard !FileManager.default.fileExists(atPath: final.path) else { return }
            if let shared, shared.fetchFolder(key, into: final) {
                cache.added(bytes: ChipCache.size(of: final), projectId: projectId, version: version)
                return
            }
            let raster: Raster
            do { raster = try Raster.open(scene.uri) } catch is GeoError {
                throw LabelingError.notFound(ChipErrorText.unreadable(chipId: chipId, sceneId: scene.id))
            }
            _ = try writer.write(selected, scene: scene, raster: raster, toWGS84: try Reprojector.toWGS84(from: scene.crs))
            cache.added(bytes: ChipCache.size(of: final), projectId: projectId, version: version)
            shared?.uploadFolder(final, as: key)
            shared?.pruneVersions(projectId: projectId, before: version)
        }
        return final
    }

    /// The chip's wildfire stack (spectral, change, fire and land-cover
    /// features; no DEM over HTTP, so no terrain). The first request for any
    /// chip of a scene writes the stacks of all the scene's served chips in
    /// one run: the fire context (labels rasterized over the whole scene, GDAL
    /// proximity both ways) is then computed once per scene and version
    /// rather than once per chip request.
    private func wildfireFile(_ selected: SelectedChip, scene: Scene, source: ExportSource) async throws -> URL {
        let folder = cache.folder(projectId: source.project.id, version: source.version)
        let url = Self.wildfireURL(selected.chip, in: folder)
        if FileManager.default.fileExists(atPath: url.path) { return url }
        try await wildfireRenders.run("\(folder.path)#s\(scene.id)") { [self] in
            guard !FileManager.default.fileExists(atPath: url.path) else { return }
            if let shared, shared.fetchFile(Self.sharedKey(selected.chip, source: source), into: url) {
                cache.added(bytes: ChipCache.size(of: url), projectId: source.project.id, version: source.version)
                return
            }
            let missing = (try selections(source)[scene.id]?.chips ?? []).filter {
                !FileManager.default.fileExists(atPath: Self.wildfireURL($0.chip, in: folder).path)
            }
            guard !missing.isEmpty else { return }
            try writeWildfire(missing, scene: scene, source: source, folder: folder)
        }
        return url
    }

    private func writeWildfire(_ chips: [SelectedChip], scene: Scene, source: ExportSource, folder: URL) throws {
        let targets = chips.map { ($0.chip.window, Self.wildfireURL($0.chip, in: folder)) }
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("wildfire"), withIntermediateDirectories: true)
        do {
            try source.writeWildfireStacks(sceneId: scene.id, dem: nil,
                                           options: Self.wildfireOptions(threads: ProcessInfo.processInfo.activeProcessorCount), targets: targets)
        } catch let error as WildfireError {
            throw LabelingError.invalid(ChipErrorText.wildfire(error, sceneId: scene.id, source: source))
        }
        cache.added(bytes: targets.reduce(0) { $0 + ChipCache.size(of: $1.1) }, projectId: source.project.id, version: source.version)
        shared?.upload(zip(chips, targets).map { (local: $0.1.1, key: Self.sharedKey($0.0.chip, source: source)) })
        shared?.pruneVersions(projectId: source.project.id, before: source.version)
    }

    /// A chip's stack in the shared cache: as on this server's disk.
    private static func sharedKey(_ chip: ChipSlot, source: ExportSource) -> String {
        SharedChipCache.key(projectId: source.project.id, version: source.version, "wildfire/\(chip.id).tif")
    }

    /// Every feature the scene and the labels allow, on the scene's own grid.
    static func wildfireOptions(threads: Int) -> WildfireOptions {
        WildfireOptions(features: nil, chipSize: 0, threads: threads)
    }

    /// Beside the chip folders, not in them: a chip folder appears whole by
    /// one rename, and a stack written into it would race that rename.
    static func wildfireURL(_ chip: ChipSlot, in folder: URL) -> URL {
        folder.appendingPathComponent("wildfire").appendingPathComponent("\(chip.id).tif")
    }

    /// The project's accepted labels and tasks, read once per project version
    /// (the caller's access is checked on every call).
    private func exportSource(projectId: ProjectID, by caller: User) async throws -> ExportSource {
        let version = try await service.exportVersion(projectId: projectId, statuses: [.accepted], by: caller)
        if let cached = sources.withLock({ $0[projectId] }), cached.value.version == version { return cached.value }
        let source = try await service.exportSource(projectId: projectId, statuses: [.accepted], by: caller)
        sources.withLock { $0[projectId] = UncheckedBox(source) }
        return source
    }

    /// The chips an export would write now, computed once per project version.
    private func selections(_ source: ExportSource) throws -> [SceneID: ChipSelector.Selection] {
        let key = "\(source.project.id)-\(source.version)"
        if let cached = selectionCache.withLock({ $0[key] }) { return cached.value }
        let computed = try ChipSelector(options: options, taxonomy: source.project.taxonomy).selectAll(source)
        selectionCache.withLock { cache in
            if cache.count > 64 { cache.removeAll() }
            cache[key] = UncheckedBox(computed)
        }
        return computed
    }

    /// "p1_s3_r0004_c0012" → (project 1, scene 3, row 4, col 12).
    static func parse(_ chipId: String) -> (ProjectID, SceneID, Int, Int)? {
        let parts = chipId.split(separator: "_")
        guard parts.count == 4, parts[0].first == "p", parts[1].first == "s", parts[2].first == "r", parts[3].first == "c",
              let project = Int64(parts[0].dropFirst()), let scene = Int64(parts[1].dropFirst()),
              let row = Int(parts[2].dropFirst()), let col = Int(parts[3].dropFirst()) else { return nil }
        return (project, scene, row, col)
    }

    private static func chipPart(_ id: String) -> String {
        String(id.split(separator: "_", maxSplits: 1).last ?? "")
    }
}
