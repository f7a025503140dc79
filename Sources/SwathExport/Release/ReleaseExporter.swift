import Foundation
import SwathGeo
import SwathLabels

/// Exports a release: the same files, byte for byte, every time, whatever
/// has happened to the project's labels since. Each scene's file is checked
/// against the identity the release recorded first; a changed file stops the
/// export, naming the scene (and its path for managers only).
public struct ReleaseExporter: Sendable {
    public let service: LabelingService
    public let releaseId: ReleaseID
    public var threads = max(1, ProcessInfo.processInfo.activeProcessorCount)
    public var resume = false

    public init(service: LabelingService, releaseId: ReleaseID) {
        self.service = service
        self.releaseId = releaseId
    }

    public func run(into outDir: URL, by caller: User) async throws -> ExportReport {
        try await run(output: ExportOutput(folder: outDir), by: caller)
    }

    public func run(into objects: ObjectPrefix, by caller: User) async throws -> ExportReport {
        try await run(output: ExportOutput(objects: objects), by: caller)
    }

    private func run(output: ExportOutput, by caller: User) async throws -> ExportReport {
        let release = try await service.release(id: releaseId, for: caller)
        let document = try ReleaseDocument.parse(try await service.releaseDocument(id: releaseId, for: caller))
        let manager = try await service.managesRelease(id: releaseId, caller: caller)
        try checkScenes(document, showPaths: manager)
        var options = try document.options.options()
        options.threads = threads
        options.resume = resume
        var exporter = Exporter(service: service, projectId: release.projectId, output: output, options: options)
        let snapshot = try ReleaseSnapshot(release: release, document: document)
        exporter.release = (snapshot.source, snapshot.lineage, snapshot.pseudonym)
        exporter.releaseCard = { folder in try ReleaseCardFiles.write(snapshot, to: folder) }
        return try await exporter.run(by: caller)
    }

    /// Every scene file is the one the release recorded.
    func checkScenes(_ document: ReleaseDocument, showPaths: Bool) throws {
        for scene in document.scenes { try Self.checkScene(scene, releaseName: document.name, showPaths: showPaths) }
    }

    /// The scene's file is the one the release recorded: `ExportError.sceneChanged` naming the scene
    /// (and its path when `showPaths`, for managers) otherwise.
    static func checkScene(_ scene: ReleaseScene, releaseName: String, showPaths: Bool) throws {
        let place = showPaths ? " (\(scene.uri))" : ""
        let now: SceneIdentity
        do { now = try SceneIdentity.of(scene.uri) } catch {
            throw ExportError.sceneChanged("scene \(scene.id) of release '\(releaseName)' cannot be read any more\(place)")
        }
        if let difference = scene.identity.difference(from: now) {
            throw ExportError.sceneChanged("scene \(scene.id) changed since release '\(releaseName)' was made: \(difference)\(place)")
        }
    }
}
