import Hummingbird
import SwathLabels

/// The project's audit trail, oldest first, paged by `after` (the last id seen).
struct AuditRoutes {
    let service: LabelingService

    func register(on api: RouterGroup<SwathRequestContext>) {
        api.get("projects/{id}/audit") { request, context in
            let query = request.uri.queryParameters
            let after = query.get("after").flatMap { Int64($0) } ?? 0
            let limit = query.get("limit").flatMap { Int($0) } ?? 500
            return try Response.json(try await service.audit(projectId: context.parameters.id(), afterId: after, limit: limit,
                                                             for: context.caller()))
        }
    }
}
