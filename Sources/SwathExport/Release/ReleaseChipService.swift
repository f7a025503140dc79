import Foundation
import Synchronization
import SwathGeo
import SwathLabels

/// A release's chips over HTTP: each file rendered from the release's frozen
/// document on first request (never from the live project) into a cache of
/// its own, with an ETag that never changes. Before a scene's first chip is
/// rendered its file is checked against the identity the release recorded; a
/// changed file is refused naming the scene (its path for managers only).
public final class ReleaseChipService: Sendable {
    public static let files = ChipService.files.filter { $0.key != "wildfire.tif" }

    let service: LabelingService
    let cache: ChipCache
    let renders = ChipRenderGate()
    private let snapshots = Mutex<[ReleaseID: (snapshot: ReleaseSnapshot, lastUse: UInt64)]>([:])
    private let useCounter = Mutex<UInt64>(0)
    /// One parse of a release's document at a time, however many requests want it.
    private let parses = Mutex<[ReleaseID: Task<ReleaseSnapshot, Error>]>([:])
    let cardBuilds = ChipRenderGate(limit: 2)
    private let checkedScenes = Mutex<Set<String>>([])
    private let cards = Mutex<[ReleaseID: [String: Data]]>([:])
    /// The card's files, and their types.
    public static let cardFiles = ["card.json": "application/json", "card.md": "text/markdown; charset=utf-8",
                                   "preview-train.png": "image/png", "preview-validation.png": "image/png", "preview-test.png": "image/png"]
    /// Releases kept parsed at once: a document of a large project is tens of megabytes.
    static let keptReleases = 16

    /// `cacheDirectory`: rendered release chips, pruned to `budgetBytes` (least recently used releases first).
    public init(service: LabelingService, cacheDirectory: URL, budgetBytes: Int = 1 << 30) {
        self.service = service
        cache = ChipCache(directory: cacheDirectory, budgetBytes: budgetBytes)
    }

    /// The release, read and parsed once; the caller's access is checked on every call.
    func snapshot(_ releaseId: ReleaseID, by caller: User) async throws -> ReleaseSnapshot {
        try await snapshot(try await service.release(id: releaseId, for: caller), by: caller)
    }

    /// The snapshot of a release the caller was just found to read (`trainingReleases`): no second check.
    /// Kept for the `keptReleases` most recently used releases; one parse per release at a time.
    func snapshot(_ release: ReleaseView, by caller: User) async throws -> ReleaseSnapshot {
        let releaseId = release.id
        let use = useCounter.withLock { counter -> UInt64 in
            counter += 1
            return counter
        }
        if let kept = snapshots.withLock({ kept -> ReleaseSnapshot? in
            kept[releaseId]?.lastUse = use
            return kept[releaseId]?.snapshot
        }) { return kept }
        let task = parses.withLock { running -> Task<ReleaseSnapshot, Error> in
            if let current = running[releaseId] { return current }
            let task = Task<ReleaseSnapshot, Error> { [service] in
                let text = try await service.releaseDocument(id: releaseId, for: caller)
                // Parsing a large document is seconds of CPU: off the cooperative pool.
                return try await BlockingWork.run { try ReleaseSnapshot(release: release, document: try ReleaseDocument.parse(text)) }
            }
            running[releaseId] = task
            return task
        }
        defer { _ = parses.withLock { $0.removeValue(forKey: releaseId) } }
        let snapshot = try await task.value
        snapshots.withLock { kept in
            if kept[releaseId] == nil, kept.count >= Self.keptReleases,
               let leastRecent = kept.min(by: { $0.value.lastUse < $1.value.lastUse })?.key {
                kept[leastRecent] = nil
            }
            kept[releaseId] = (snapshot, use)
        }
        return snapshot
    }

    /// A file of the release's dataset card (made once per release and kept with it).
    public func cardFile(releaseId: ReleaseID, name: String, by caller: User) async throws -> (data: Data, contentType: String) {
        guard let contentType = Self.cardFiles[name] else {
            throw LabelingError.notFound("'\(name.prefix(60))' is not a card file (\(Self.cardFiles.keys.sorted().joined(separator: ", ")))")
        }
        let snapshot = try await snapshot(releaseId, by: caller)
        if cards.withLock({ $0[releaseId] }) == nil {
            // One build per release at a time, two at most in all: scene checks and previews read imagery.
            try await cardBuilds.run("card-\(releaseId)") { [self] in
                guard cards.withLock({ $0[releaseId] }) == nil else { return }
                for scene in snapshot.document.scenes { try checkScene(scene, release: snapshot) }
                let files = try ReleaseCardFiles.make(snapshot)
                cards.withLock { kept in
                    if kept.count >= Self.keptReleases, let any = kept.keys.first { kept[any] = nil }
                    kept[releaseId] = files
                }
            }
        }
        guard let files = cards.withLock({ $0[releaseId] }) else { throw LabelingError.busy("the card is being made; ask again shortly", retryAfterSeconds: 2) }
        guard let data = files[name] else { throw LabelingError.notFound("release \(releaseId) has no \(name) (no chips in that split)") }
        return (data, contentType)
    }

    /// Whether a chip of a release with these formats has the file (its image always does).
    static func isWritten(_ name: String, formats: Set<ExportFormat>) -> Bool {
        switch name {
        case "mask.tif": return formats.contains(.mask)
        case "labels.geojson": return formats.contains(.geojson)
        case "labels.pixel.json": return formats.contains(.pixel)
        case "item.json": return formats.contains(.stac)
        default: return true
        }
    }

    /// A file of chip `chipId` of the release, with its ETag (no bytes when `ifNoneMatch` is it already).
    public func file(releaseId: ReleaseID, chipId: String, name: String, by caller: User, ifNoneMatch: String? = nil) async throws -> ChipFile {
        guard let contentType = Self.files[name] else {
            throw LabelingError.notFound("'\(name)' is not a chip file (\(Self.files.keys.sorted().joined(separator: ", ")))")
        }
        let snapshot = try await snapshot(releaseId, by: caller)
        guard let frozen = snapshot.chipsById[chipId] else { throw LabelingError.notFound("chip '\(chipId)' is not in release \(releaseId)") }
        guard Self.isWritten(name, formats: snapshot.options.formats) else {
            throw LabelingError.notFound("release \(releaseId) has no \(name): its export options leave that format out")
        }
        let etag = "\"r\(releaseId)-\(chipId)\""
        if ifNoneMatch == etag { return ChipFile(etag: etag, contentType: contentType, data: nil) }
        let projectId = snapshot.release.projectId
        return try await cache.using(projectId: projectId, version: releaseId) {
            let folder = try await render(frozen, snapshot: snapshot, by: caller)
            return ChipFile(etag: etag, contentType: contentType, data: try Data(contentsOf: folder.appendingPathComponent(name)))
        }
    }

    private func render(_ frozen: ReleaseChip, snapshot: ReleaseSnapshot, by caller: User) async throws -> URL {
        let projectId = snapshot.release.projectId, releaseId = snapshot.release.id
        var writer = ChipWriter(outDir: cache.folder(projectId: projectId, version: releaseId), taxonomy: snapshot.source.project.taxonomy,
                                codename: snapshot.source.project.codename, bands: snapshot.options.bands, pseudonym: snapshot.pseudonym)
        writer.formats = snapshot.options.formats
        writer.lineage = snapshot.lineage
        let chipWriter = writer
        let final = writer.finalURL(ChipSlot(sceneId: frozen.sceneId, row: frozen.row, col: frozen.col, window: frozen.window, split: frozen.split))
        if FileManager.default.fileExists(atPath: final.path) { return final }
        try await renders.run(final.path) { [cache, self] in
            guard !FileManager.default.fileExists(atPath: final.path) else { return }
            guard let scene = snapshot.source.scenes.first(where: { $0.id == frozen.sceneId }),
                  let recorded = snapshot.scenesById[frozen.sceneId],
                  let selected = try snapshot.selectedChip(frozen.id) else {
                throw LabelingError.notFound("chip '\(frozen.id)' is not in release \(releaseId)")
            }
            try checkScene(recorded, release: snapshot)
            let raster: Raster
            do { raster = try Raster.open(scene.uri) } catch is GeoError {
                throw LabelingError.notFound(ChipErrorText.unreadable(chipId: frozen.id, sceneId: scene.id))
            }
            _ = try chipWriter.write(selected, scene: scene, raster: raster, toWGS84: try Reprojector.toWGS84(from: scene.crs))
            cache.added(bytes: ChipCache.size(of: final), projectId: projectId, version: releaseId)
        }
        return final
    }

    /// Once per release and scene per server, the whole identity (size and checksum); its size on every render.
    /// Never with the path: requests of any role may share one render's outcome.
    private func checkScene(_ scene: ReleaseScene, release: ReleaseSnapshot) throws {
        let key = "\(release.release.id)-\(scene.id)"
        do {
            if checkedScenes.withLock({ $0.contains(key) }) {
                let size = (try? FileManager.default.attributesOfItem(atPath: scene.uri)[.size] as? Int).flatMap { $0 }
                if scene.uri.hasPrefix("/vsi") || size.map(Int64.init) == scene.identity.bytes { return }
            }
            try ReleaseExporter.checkScene(scene, releaseName: release.document.name, showPaths: false)
            checkedScenes.withLock { _ = $0.insert(key) }
        } catch let error as ExportError {
            // The file under the release changed: the release cannot be served as it was made.
            throw LabelingError.conflict(error.description)
        }
    }
}
