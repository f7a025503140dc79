import Foundation
import Hummingbird
import SwathLabels

/// Scenes: registering one creates its tasks; importing vectors attaches pre-labels.
struct SceneRoutes {
    let service: LabelingService
    /// Vector uploads may be larger than JSON bodies.
    static let maximumImportBytes = 200 * 1024 * 1024

    func register(on api: RouterGroup<SwathRequestContext>) {
        api.post("projects/{id}/scenes") { request, context in
            try await service.authorize(context.caller(), project: context.parameters.id(), .manager, to: "registering scenes")
            let body = try await request.decode(as: SceneRegistration.self, context: context)
            let scene = try await service.registerScene(projectId: context.parameters.id(), body, by: context.caller())
            // Its overviews are a job: built by a worker (the server itself on SQLite) into the overview folder.
            do {
                _ = try await service.queueOverviews(sceneId: scene.id, by: context.caller())
            } catch {
                context.logger.error("queueing the overview build failed", metadata: ["scene": "\(scene.id)", "error": "\(error)"])
            }
            return try Response.json(scene, status: .created)
        }
        api.get("projects/{id}/scenes") { _, context in
            try Response.json(try await service.scenes(projectId: context.parameters.id(), for: context.caller()))
        }
        api.get("scenes/{id}") { _, context in
            try Response.json(try await service.scene(id: context.parameters.id(), for: context.caller()))
        }
        api.post("scenes/{id}/labels/import") { request, context in
            var request = request
            let sceneId = try context.parameters.id()
            let caller = try context.caller()
            let options = try ImportOptions(query: request.uri.queryParameters)
            try await service.authorize(caller, scene: sceneId, .manager, to: "importing labels")
            let upload = try await UploadStaging.stage(request.body, limit: Self.maximumImportBytes)
            defer { upload.remove() }
            let report = try await service.importLabels(sceneId: sceneId, path: upload.path, name: "the upload", options: options, by: caller)
            return try Response.json(report, status: .ok)
        }
    }
}

extension ImportOptions {
    init(query: Hummingbird.Parameters) throws {
        let source = try query.get("source").map { value -> LabelSource in
            guard let source = LabelSource(rawValue: value), source.isPreLabel else {
                throw LabelingError.invalid("source must be imported or model, got '\(value)'")
            }
            return source
        } ?? .imported
        self.init(layer: query.get("layer"), classField: query.get("classField"), fixedClass: query.get("class"), source: source)
    }
}
