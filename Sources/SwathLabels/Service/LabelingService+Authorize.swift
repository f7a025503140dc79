extension LabelingService {
    /// The role checks a route makes before it reads a request body, so a
    /// caller outside the project (404) or without the role (403) never gets
    /// the server to take in their upload. The operation checks again.
    public func authorize(_ caller: User, project projectId: ProjectID, _ roles: Role..., to action: String) async throws {
        let (_, access) = try await access(caller, projectId: projectId)
        try access.require(roles, to: action)
    }

    public func authorize(_ caller: User, scene sceneId: SceneID, _ roles: Role..., to action: String) async throws {
        let (_, _, access) = try await sceneAccess(caller, sceneId: sceneId)
        try access.require(roles, to: action)
    }

    public func authorize(_ caller: User, task taskId: TaskID, _ roles: Role..., to action: String) async throws {
        let (_, _, access) = try await taskAccess(caller, taskId: taskId)
        try access.require(roles, to: action)
    }

    /// Only admins may act on users and create projects.
    public func authorizeAdmin(_ caller: User, to action: String) throws {
        guard caller.isAdmin else { throw LabelingError.forbidden("\(action) needs an admin") }
    }
}
