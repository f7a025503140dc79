import Crypto
import Foundation
import SwathGeo
import SwathLabels

/// Freezes a project's accepted labels into a release: the chips and splits
/// the export options give now, each label with its lineage, and what
/// identifies each scene's file. Managers only (checked by the service).
public struct ReleaseMaker: Sendable {
    public let service: LabelingService

    public init(service: LabelingService) {
        self.service = service
    }

    /// Makes and stores the release `name` of `projectId` with the export options of `request`.
    public func create(projectId: ProjectID, name: String, request: ExportRequest, by caller: User) async throws -> ReleaseView {
        try ReleaseDraft.checkName(name)
        // A name already used is refused before any scene is read and hashed (the store checks again, atomically).
        if try await service.releases(projectId: projectId, for: caller).contains(where: { $0.name == name }) {
            throw LabelingError.conflict("the project already has a release named '\(name)'")
        }
        let document = try await freeze(projectId: projectId, name: name, request: request, by: caller)
        let text = try document.json()
        return try await service.saveRelease(ReleaseDraft(projectId: projectId, name: name, labelCount: document.labels.count,
                                                          chipCount: document.chips.count, digest: try Self.contentDigest(document),
                                                          document: text), by: caller)
    }

    /// The release's document, not yet stored.
    func freeze(projectId: ProjectID, name: String, request: ExportRequest, by caller: User) async throws -> ReleaseDocument {
        var request = request
        if let statuses = request.statuses, statuses != ["accepted"] {
            throw ExportError.invalidOption("statuses", "a release holds accepted labels only")
        }
        request.statuses = nil
        let options = try request.options()
        let inputs = try await service.releaseInputs(projectId: projectId, by: caller)
        let source = inputs.source
        // Selection (GEOS per chip) and the scene files' checksums are seconds of work: off the cooperative pool.
        let (chips, scenes) = try await BlockingWork.run {
            let selections = try ChipSelector(options: options, taxonomy: source.project.taxonomy).selectAll(source)
            let chips = source.scenes.flatMap { scene in (selections[scene.id]?.chips ?? []).map(ReleaseChip.init) }
            let usedScenes = Set(source.tasks.map(\.sceneId))
            return (chips, try source.scenes.filter { usedScenes.contains($0.id) }.map(Self.frozen))
        }
        let labels = source.labels.sorted { $0.id < $1.id }.map { label in
            ReleaseLabel(id: label.id, version: label.version, lineageId: inputs.lineageRoot(of: label.id), previousId: label.previousId,
                         taskId: label.taskId, sceneId: label.sceneId, classId: label.classId, attributes: label.attributes,
                         geometryWKB: Data(label.geometry.wkb).base64EncodedString(), annotatorId: label.annotatorId, source: label.source,
                         createdAt: label.createdAt.timeIntervalSince1970, drawnArea: label.drawnArea)
        }
        let tasks = source.tasks.sorted { $0.id < $1.id }.map { task in
            ReleaseTask(id: task.id, sceneId: task.sceneId, window: task.window, reviewId: inputs.acceptingReviews[task.id])
        }
        var generator = SystemRandomNumberGenerator()
        let key = (0..<32).map { _ in String(format: "%02x", UInt8.random(in: .min ... .max, using: &generator)) }.joined()
        let quality = ReleaseQuality(report: try await service.qualityReport(projectId: projectId, by: caller))
        return ReleaseDocument(format: ReleaseDocument.currentFormat, name: name, projectId: projectId, codename: source.project.codename,
                               taxonomy: source.project.taxonomy, createdAt: Date().timeIntervalSince1970.rounded(.down), options: request,
                               pseudonymKey: key, scenes: scenes, tasks: tasks, labels: labels, chips: chips, quality: quality)
    }

    /// A scene as frozen; a file that cannot be read is refused, naming the scene (the caller is a manager).
    static func frozen(_ scene: Scene) throws -> ReleaseScene {
        let identity: SceneIdentity
        do { identity = try SceneIdentity.of(scene.uri) } catch let error as GeoError {
            throw ExportError.invalidOption("release", "scene \(scene.id) cannot be read to record its identity: \(error.description)")
        }
        return ReleaseScene(id: scene.id, createdAt: scene.createdAt.timeIntervalSince1970, registration: scene.registration, identity: identity)
    }

    /// SHA-256 of what the release holds, leaving out its name, time, pseudonym key and quality figures:
    /// two releases of the same labels, chips and files have the same digest.
    static func contentDigest(_ document: ReleaseDocument) throws -> String {
        var content = document
        content.name = ""
        content.createdAt = 0
        content.pseudonymKey = ""
        content.quality = nil
        return SHA256.hash(data: Data(try content.json().utf8)).map { String(format: "%02x", $0) }.joined()
    }
}
