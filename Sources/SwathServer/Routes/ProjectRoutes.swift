import Hummingbird
import SwathLabels

/// /projects: create (admin), list and read (members), add members (managers).
struct ProjectRoutes {
    let service: LabelingService

    func register(on api: RouterGroup<SwathRequestContext>) {
        api.post("projects") { request, context in
            try service.authorizeAdmin(context.caller(), to: "creating projects")
            let body = try await request.decode(as: CreateProjectRequest.self, context: context)
            return try Response.json(try await service.createProject(body.draft, by: context.caller()), status: .created)
        }
        api.get("projects") { _, context in
            try Response.json(try await service.projects(for: context.caller()))
        }
        api.get("projects/{id}") { _, context in
            try Response.json(try await service.project(id: context.parameters.id(), for: context.caller()))
        }
        api.post("projects/{id}/members") { request, context in
            let projectId = try context.parameters.id()
            try await service.authorize(context.caller(), project: projectId, .manager, to: "adding members")
            let body = try await request.decode(as: AddMemberRequest.self, context: context)
            try await service.addMember(projectId: projectId, userId: body.userId, role: body.role, by: context.caller())
            return Response(status: .noContent)
        }
    }
}
