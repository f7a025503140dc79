import Hummingbird
import SwathLabels

/// The queue: claim, heartbeat, submit, review.
struct TaskRoutes {
    let service: LabelingService
    let metrics: ServerMetrics

    func register(on api: RouterGroup<SwathRequestContext>) {
        api.post("projects/{id}/tasks/claim") { request, context in
            let skipping = try Self.taskIds(request.uri.queryParameters.get("skip"))
            guard let task = try await service.claim(projectId: context.parameters.id(), skipping: skipping, by: context.caller()) else {
                return Response(status: .noContent)
            }
            metrics.claims.increment()
            return try Response.json(task)
        }
        api.post("tasks/{id}/heartbeat") { _, context in
            try Response.json(try await service.heartbeat(taskId: context.parameters.id(), by: context.caller()))
        }
        api.get("projects/{id}/tasks") { request, context in
            let name = request.uri.queryParameters.get("status") ?? TaskStatus.submitted.rawValue
            guard let status = TaskStatus(rawValue: name) else {
                let known = TaskStatus.allCases.map(\.rawValue).joined(separator: ", ")
                throw LabelingError.invalid("status must be one of \(known), got '\(name)'")
            }
            let limit = try request.uri.queryParameters.integer("limit", default: 500, in: 1...5000)
            return try Response.json(try await service.tasks(projectId: context.parameters.id(), status: status, limit: limit,
                                                             for: context.caller()))
        }
        api.post("tasks/{id}/release") { _, context in
            try Response.json(try await service.release(taskId: context.parameters.id(), by: context.caller()))
        }
        api.get("tasks/{id}") { _, context in
            try Response.json(try await service.task(id: context.parameters.id(), for: context.caller()))
        }
        api.post("tasks/{id}/submit") { _, context in
            try Response.json(try await service.submit(taskId: context.parameters.id(), by: context.caller()))
        }
        api.post("tasks/{id}/review") { request, context in
            try await service.authorize(context.caller(), task: context.parameters.id(), .reviewer, .manager, to: "reviewing tasks")
            let body = try await request.decode(as: ReviewRequest.self, context: context)
            return try Response.json(try await service.review(taskId: context.parameters.id(), decision: body.decision,
                                                              comment: body.comment, by: context.caller()))
        }
        api.get("tasks/{id}/reviews") { _, context in
            try Response.json(try await service.reviews(taskId: context.parameters.id(), for: context.caller()))
        }
    }

    /// `skip=12,15`: ids of tasks the caller passed over, at most `maximumSkipped`.
    static func taskIds(_ text: String?) throws -> Set<TaskID> {
        guard let text, !text.isEmpty else { return [] }
        var ids = Set<TaskID>()
        for part in text.split(separator: ",") {
            guard let id = TaskID(part), id > 0 else {
                throw LabelingError.invalid("skip must list task ids separated by commas, got '\(text.prefix(80))'")
            }
            ids.insert(id)
            guard ids.count <= LabelingService.maximumSkipped else {
                throw LabelingError.invalid("skip lists more than \(LabelingService.maximumSkipped) tasks")
            }
        }
        return ids
    }
}
