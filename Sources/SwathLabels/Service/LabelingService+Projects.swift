import Foundation

extension LabelingService {
    public func createProject(_ draft: ProjectDraft, by caller: User) async throws -> ProjectView {
        if !caller.isAdmin { throw LabelingError.forbidden("creating projects needs the admin role") }
        let customer = draft.customer.trimmingCharacters(in: .whitespacesAndNewlines)
        let codename = draft.codename.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !customer.isEmpty else { throw LabelingError.invalid("customer must not be empty") }
        guard (1...100).contains(codename.count) else { throw LabelingError.invalid("codename must be 1…100 characters") }
        guard customer.lowercased() != codename.lowercased() else {
            throw LabelingError.invalid("the codename must not be the customer's name: the workforce sees it")
        }
        try draft.taxonomy.validate()
        try draft.settings.validate()
        var cleaned = draft
        cleaned.customer = customer
        cleaned.codename = codename
        let project = try await store.createProject(cleaned, actor: caller.auditId, at: now())
        return ProjectView(project, access: ProjectAccess(user: caller, roles: []))
    }

    public func projects(for caller: User) async throws -> [ProjectView] {
        let projects = try await store.projects(memberId: caller.isAdmin ? nil : caller.id)
        var views: [ProjectView] = []
        for project in projects {
            let roles = try await store.roles(userId: caller.id, projectId: project.id)
            views.append(ProjectView(project, access: ProjectAccess(user: caller, roles: roles)))
        }
        return views
    }

    public func project(id: ProjectID, for caller: User) async throws -> ProjectView {
        let (project, access) = try await access(caller, projectId: id)
        return ProjectView(project, access: access)
    }

    public func addMember(projectId: ProjectID, userId: UserID, role: Role, by caller: User) async throws {
        let (_, access) = try await access(caller, projectId: projectId)
        try access.require(.manager, to: "adding members")
        try await store.addMember(projectId: projectId, userId: userId, role: role, actor: caller.auditId, at: now())
    }
}
