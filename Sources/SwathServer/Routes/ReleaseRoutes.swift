import Foundation
import Hummingbird
import SwathExport
import SwathLabels

/// Releases: managers freeze them; trainers and managers list, read and compare
/// them; reviewers and managers follow a label's history.
struct ReleaseRoutes {
    let service: LabelingService
    let snapshots: ReleaseChipService

    func register(on api: RouterGroup<SwathRequestContext>) {
        api.post("projects/{id}/releases") { request, context in
            let caller = try context.caller()
            let projectId = try context.parameters.id()
            try await service.authorize(caller, project: projectId, .manager, to: "creating releases")
            let body: ReleaseRequest = try await ExportRoutes.decode(request)
            let release: ReleaseView
            do {
                release = try await ReleaseMaker(service: service).create(projectId: projectId, name: body.name, request: body.options, by: caller)
            } catch let error as ExportError {
                throw LabelingError.invalid(error.description)
            }
            var response = try Response.json(release, status: .created)
            response.headers[.location] = "/api/v1/releases/\(release.id)"
            return response
        }
        api.get("projects/{id}/releases") { _, context in
            try Response.json(ReleaseList(releases: try await service.releases(projectId: context.parameters.id(), for: context.caller())))
        }
        api.get("releases/{id}") { _, context in
            try Response.json(try await service.release(id: context.parameters.id(), for: context.caller()))
        }
        api.get("releases/{id}/diff/{other}") { _, context in
            let caller = try context.caller()
            let (from, to) = (try context.parameters.id(), try context.parameters.id("other"))
            do {
                return try Response.json(try await ReleaseComparison(service: service, snapshots: snapshots).diff(from, to, by: caller))
            } catch let error as ExportError {
                throw LabelingError.invalid(error.description)
            }
        }
        api.get("labels/{id}/history") { _, context in
            try Response.json(try await service.labelHistory(labelId: context.parameters.id(), for: context.caller()))
        }
    }

    private struct ReleaseList: Encodable {
        var releases: [ReleaseView]
    }
}
