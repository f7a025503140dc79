import Foundation
import Hummingbird
import SwathGeo
import SwathLabels

/// Reference layers: a project's (managers) and global ones (admins), uploaded
/// as a vector file (any self-contained OGR format the import reads, any CRS).
struct ReferenceRoutes {
    let service: LabelingService
    static let maximumUploadBytes = 256 << 20

    func register(on api: RouterGroup<SwathRequestContext>) {
        api.post("projects/{id}/references") { request, context in
            let projectId = try context.parameters.id()
            let caller = try context.caller()
            let name = try Self.name(request)
            try await service.authorize(caller, project: projectId, .manager, to: "registering reference layers")
            let upload = try await UploadStaging.stage(request.body, limit: Self.maximumUploadBytes)
            defer { upload.remove() }
            let registered = try await service.registerReferenceLayer(projectId: projectId, name: name, path: upload.path,
                                                                      displayName: "the upload", by: caller)
            return Response.json(Self.view(registered.layer, skipped: registered.skipped), status: .created)
        }
        api.get("projects/{id}/references") { _, context in
            let layers = try await service.referenceLayers(projectId: context.parameters.id(), by: context.caller())
            return Response.json(JSONValue.array(layers.map { Self.view($0) }))
        }
        api.post("references") { request, context in
            let caller = try context.caller()
            let name = try Self.name(request)
            guard caller.isAdmin else { throw LabelingError.forbidden("registering a global reference layer needs an admin") }
            let upload = try await UploadStaging.stage(request.body, limit: Self.maximumUploadBytes)
            defer { upload.remove() }
            let registered = try await service.registerReferenceLayer(projectId: nil, name: name, path: upload.path, displayName: "the upload",
                                                                      by: caller)
            return Response.json(Self.view(registered.layer, skipped: registered.skipped), status: .created)
        }
    }

    static func name(_ request: Request) throws -> String {
        guard let name = request.uri.queryParameters.get("name"), !name.isEmpty else {
            throw LabelingError.invalid("name: a reference layer needs ?name= (what managers see in flags)")
        }
        return name
    }

    static func view(_ layer: ReferenceLayer, skipped: Int? = nil) -> JSONValue {
        var fields: [String: JSONValue] = [
            "id": .number(Double(layer.id)), "name": .string(layer.name), "features": .number(Double(layer.featureCount)),
            "scope": .string(layer.projectId == nil ? "global" : "project"),
            "createdAt": .string(ISO8601DateFormatter().string(from: layer.createdAt)),
        ]
        if let skipped { fields["skipped"] = .number(Double(skipped)) }
        return .object(fields)
    }
}
