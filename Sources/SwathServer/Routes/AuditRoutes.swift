import Hummingbird
import SwathLabels

/// The project's audit trail, oldest first, paged by `after` (the last id seen).
struct AuditRoutes {
    let service: LabelingService

    func register(on api: RouterGroup<SwathRequestContext>) {
        api.get("projects/{id}/audit") { request, context in
            let query = request.uri.queryParameters
            let after = try query.integer("after", default: 0, in: 0...Int.max)
            let limit = try query.integer("limit", default: 500, in: 1...5000)
            return try Response.json(try await service.audit(projectId: context.parameters.id(), afterId: Int64(after), limit: limit,
                                                             for: context.caller()))
        }
    }
}
