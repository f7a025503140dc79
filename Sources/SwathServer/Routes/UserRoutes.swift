import Hummingbird
import SwathLabels

/// /users and /me: accounts and their bearer tokens.
struct UserRoutes {
    let service: LabelingService

    func register(on api: RouterGroup<SwathRequestContext>) {
        api.post("users") { request, context in
            try service.authorizeAdmin(context.caller(), to: "creating users")
            let body = try await request.decode(as: CreateUserRequest.self, context: context)
            let (user, token) = try await service.createUser(name: body.name, isAdmin: body.admin ?? false, by: context.caller())
            return try Response.json(CreatedUser(id: user.id, name: user.name, admin: user.isAdmin, token: token), status: .created)
        }
        api.post("users/{id}/tokens") { _, context in
            let userId = try context.parameters.id()
            let token = try await service.issueToken(userId: userId, by: context.caller())
            return try Response.json(IssuedToken(userId: userId, token: token), status: .created)
        }
        api.delete("users/{id}/tokens") { _, context in
            try await service.revokeTokens(userId: context.parameters.id(), by: context.caller())
            return Response(status: .noContent)
        }
        api.get("me") { _, context in
            let user = try context.caller()
            return try Response.json(Me(id: user.id, name: user.name, admin: user.isAdmin, projects: try await service.projects(for: user)))
        }
    }
}
