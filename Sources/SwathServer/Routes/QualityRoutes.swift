import Hummingbird
import SwathGeo
import SwathLabels

/// Quality: the report, settings, gold tasks, pauses, and consensus review.
struct QualityRoutes {
    let service: LabelingService

    func register(on api: RouterGroup<SwathRequestContext>) {
        api.get("projects/{id}/quality") { _, context in
            Response.json(try await service.qualityReport(projectId: context.parameters.id(), by: context.caller()))
        }
        api.get("projects/{id}/audit-queue") { _, context in
            Response.json(try await service.auditQueue(projectId: context.parameters.id(), by: context.caller()))
        }
        api.patch("projects/{id}/settings") { request, context in
            try await service.authorize(context.caller(), project: context.parameters.id(), .manager, to: "changing settings")
            let change = try await request.decodeBody(as: SettingsChange.self)
            return try Response.json(try await service.updateSettings(projectId: context.parameters.id(), by: context.caller()) {
                change.applied(to: $0)
            })
        }
        api.post("projects/{id}/annotators/{userId}/reinstate") { _, context in
            let userId = try context.parameters.id("userId")
            let pause = try await service.reinstate(projectId: context.parameters.id(), userId: userId, by: context.caller())
            return Response.json(JSONValue.object(["userId": .number(Double(pause.userId)), "reason": .string(pause.reason),
                                                   "reinstated": .bool(true)]))
        }
        api.put("tasks/{id}/gold") { request, context in
            let space = try CoordinateSpace(query: request.uri.queryParameters.get("crs"))
            try await service.authorize(context.caller(), task: context.parameters.id(), .manager, to: "marking gold tasks")
            let collection = try await LabelRoutes.featureCollection(request, context: context)
            return Response.json(try await service.markGold(taskId: context.parameters.id(), reference: collection, space: space,
                                                            by: context.caller()).json)
        }
        api.get("tasks/{id}/gold") { request, context in
            let space = try CoordinateSpace(query: request.uri.queryParameters.get("crs"))
            return Response.json(try await service.goldReference(taskId: context.parameters.id(), space: space, by: context.caller()).json)
        }
        api.get("tasks/{id}/consensus") { request, context in
            let space = try CoordinateSpace(query: request.uri.queryParameters.get("crs"))
            return try Response.json(try await service.consensus(taskId: context.parameters.id(), space: space, for: context.caller()))
        }
    }
}
