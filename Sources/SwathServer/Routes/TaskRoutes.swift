import Hummingbird
import SwathLabels

/// The queue: claim, heartbeat, submit, review.
struct TaskRoutes {
    let service: LabelingService

    func register(on api: RouterGroup<SwathRequestContext>) {
        api.post("projects/{id}/tasks/claim") { _, context in
            guard let task = try await service.claim(projectId: context.parameters.id(), by: context.caller()) else {
                return Response(status: .noContent)
            }
            return try Response.json(task)
        }
        api.post("tasks/{id}/heartbeat") { _, context in
            try Response.json(try await service.heartbeat(taskId: context.parameters.id(), by: context.caller()))
        }
        api.get("tasks/{id}") { _, context in
            try Response.json(try await service.task(id: context.parameters.id(), for: context.caller()))
        }
        api.post("tasks/{id}/submit") { _, context in
            try Response.json(try await service.submit(taskId: context.parameters.id(), by: context.caller()))
        }
        api.post("tasks/{id}/review") { request, context in
            let body = try await request.decode(as: ReviewRequest.self, context: context)
            return try Response.json(try await service.review(taskId: context.parameters.id(), decision: body.decision,
                                                              comment: body.comment, by: context.caller()))
        }
        api.get("tasks/{id}/reviews") { _, context in
            try Response.json(try await service.reviews(taskId: context.parameters.id(), for: context.caller()))
        }
    }
}
