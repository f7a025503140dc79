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
    private let snapshots = Mutex<[ReleaseID: ReleaseSnapshot]>([:])
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
    func snapshot(_ release: ReleaseView, by caller: User) async throws -> ReleaseSnapshot {
        let releaseId = release.id
        if let kept = snapshots.withLock({ $0[releaseId] }) { return kept }
        let document = try ReleaseDocument.parse(try await service.releaseDocument(id: releaseId, for: caller))
        let snapshot = try ReleaseSnapshot(release: release, document: document)
        snapshots.withLock { kept in
            if kept.count >= Self.keptReleases, let oldest = kept.keys.min() { kept[oldest] = nil }
            kept[releaseId] = snapshot
        }
        return snapshot
    }

    /// A file of the release's dataset card (made once per release and kept with it).
    public func cardFile(releaseId: ReleaseID, name: String, by caller: User) async throws -> (data: Data, contentType: String) {
        guard let contentType = Self.cardFiles[name] else {
            throw LabelingError.notFound("'\(name.prefix(60))' is not a card file (\(Self.cardFiles.keys.sorted().joined(separator: ", ")))")
        }
        let snapshot = try await snapshot(releaseId, by: caller)
        let files: [String: Data]
        if let kept = cards.withLock({ $0[releaseId] }) { files = kept } else {
            let showPaths = try await service.managesRelease(id: releaseId, caller: caller)
            files = try await withCheckedThrowingContinuation { continuation in
                // GDAL reads and PNG encoding: off the cooperative pool.
                DispatchQueue.global().async {
                    continuation.resume(with: Result {
                        do {
                            for scene in snapshot.document.scenes {
                                try ReleaseExporter.checkScene(scene, releaseName: snapshot.document.name, showPaths: showPaths)
                            }
                        } catch let error as ExportError {
                            throw LabelingError.conflict(error.description)
                        }
                        return try ReleaseCardFiles.make(snapshot)
                    })
                }
            }
            cards.withLock { kept in
                if kept.count >= Self.keptReleases, let oldest = kept.keys.min() { kept[oldest] = nil }
                kept[releaseId] = files
            }
        }
        guard let data = files[name] else { throw LabelingError.notFound("release \(releaseId) has no \(name) (no chips in that split)") }
        return (data, contentType)
    }

    /// A file of chip `chipId` of the release, with its ETag (no bytes when `ifNoneMatch` is it already).
    public func file(releaseId: ReleaseID, chipId: String, name: String, by caller: User, ifNoneMatch: String? = nil) async throws -> ChipFile {
        guard let contentType = Self.files[name] else {
            throw LabelingError.notFound("'\(name)' is not a chip file (\(Self.files.keys.sorted().joined(separator: ", ")))")
        }
        let snapshot = try await snapshot(releaseId, by: caller)
        guard let frozen = snapshot.chipsById[chipId] else { throw LabelingError.notFound("chip '\(chipId)' is not in release \(releaseId)") }
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
        let showPaths = try await service.managesRelease(id: releaseId, caller: caller)
        try await renders.run(final.path) { [cache, self] in
            guard !FileManager.default.fileExists(atPath: final.path) else { return }
            guard let scene = snapshot.source.scenes.first(where: { $0.id == frozen.sceneId }),
                  let recorded = snapshot.scenesById[frozen.sceneId],
                  let selected = try snapshot.selectedChip(frozen.id) else {
                throw LabelingError.notFound("chip '\(frozen.id)' is not in release \(releaseId)")
            }
            try checkScene(recorded, release: snapshot, showPaths: showPaths)
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
    private func checkScene(_ scene: ReleaseScene, release: ReleaseSnapshot, showPaths: Bool) throws {
        let key = "\(release.release.id)-\(scene.id)"
        do {
            if checkedScenes.withLock({ $0.contains(key) }) {
                let size = (try? FileManager.default.attributesOfItem(atPath: scene.uri)[.size] as? Int).flatMap { $0 }
                if scene.uri.hasPrefix("/vsi") || size.map(Int64.init) == scene.identity.bytes { return }
            }
            try ReleaseExporter.checkScene(scene, releaseName: release.document.name, showPaths: showPaths)
            checkedScenes.withLock { _ = $0.insert(key) }
        } catch let error as ExportError {
            // The file under the release changed: the release cannot be served as it was made.
            throw LabelingError.conflict(error.description)
        }
    }
}
