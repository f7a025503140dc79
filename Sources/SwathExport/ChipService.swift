import Foundation
import Synchronization
import SwathGeo
import SwathLabels
import SwathWildfire

/// Training chips over HTTP: paged chip metadata, and each chip's files
/// rendered on first request into a cache keyed by the project's version
/// (any label, review or scene change moves it on), with that as the ETag.
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
    let cacheDirectory: URL
    let options: ExportOptions
    let pseudonym = Pseudonym()
    private let cache = Mutex<[String: UncheckedBox<[SceneID: ChipSelector.Selection]>]>([:])
    private let sources = Mutex<[ProjectID: UncheckedBox<ExportSource>]>([:])

    public init(service: LabelingService, cacheDirectory: URL, options: ExportOptions = ExportOptions()) {
        self.service = service
        self.cacheDirectory = cacheDirectory
        self.options = options
    }

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

    /// A chip file: its path in the cache (rendered now if needed) and its ETag.
    public func file(chipId: String, name: String, by caller: User) async throws -> (url: URL, etag: String, contentType: String) {
        guard let contentType = Self.files[name] else {
            throw LabelingError.notFound("'\(name)' is not a chip file (\(Self.files.keys.sorted().joined(separator: ", ")))")
        }
        guard let (projectId, sceneId, row, col) = Self.parse(chipId) else { throw LabelingError.notFound("chip '\(chipId)' not found") }
        let source = try await exportSource(projectId: projectId, by: caller)
        guard let scene = source.scenes.first(where: { $0.id == sceneId }) else { throw LabelingError.notFound("chip '\(chipId)' not found") }
        let etag = "\"\(chipId)-v\(source.version)\""
        let directory = cacheDirectory.appendingPathComponent("p\(projectId)").appendingPathComponent("v\(source.version)")
        let writer = ChipWriter(outDir: directory, taxonomy: source.project.taxonomy, codename: source.project.codename,
                                bands: nil, pseudonym: pseudonym)
        guard let selected = try selections(source)[sceneId]?.chips.first(where: { $0.chip.row == row && $0.chip.col == col }) else {
            throw LabelingError.notFound("chip '\(chipId)' is not served (outside reviewed ground, in a split buffer, or background)")
        }
        let url = writer.finalURL(selected.chip).appendingPathComponent(name)
        if name == "wildfire.tif" {
            if !FileManager.default.fileExists(atPath: url.path) { try renderWildfire(selected, scene: scene, source: source, to: url) }
            return (url, etag, contentType)
        }
        if !FileManager.default.fileExists(atPath: url.path) {
            let raster: Raster
            do { raster = try Raster.open(scene.uri) } catch let error as GeoError {
                throw LabelingError.notFound("scene \(sceneId)'s file cannot be read: \(error.description)")
            }
            _ = try writer.write(selected, scene: scene, raster: raster, toWGS84: try Reprojector.toWGS84(from: scene.crs))
        }
        return (url, etag, contentType)
    }

    /// A chip's wildfire stack (spectral, change, fire and land-cover
    /// features; no DEM over HTTP, so no terrain).
    private func renderWildfire(_ selected: SelectedChip, scene: Scene, source: ExportSource, to url: URL) throws {
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        do {
            try source.writeWildfireStacks(sceneId: scene.id, dem: nil, options: WildfireOptions(features: nil, chipSize: 0, threads: 1),
                                           targets: [(selected.chip.window, url)])
        } catch let error as WildfireError {
            throw LabelingError.invalid("wildfire.tif cannot be made for this chip: \(error.description)")
        }
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
        if let cached = cache.withLock({ $0[key] }) { return cached.value }
        let computed = try ChipSelector(options: options, taxonomy: source.project.taxonomy).selectAll(source)
        cache.withLock { cache in
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
