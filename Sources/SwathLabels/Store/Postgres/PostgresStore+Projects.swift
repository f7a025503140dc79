import SwathGeo
import Foundation
import PostgresNIO

extension PostgresStore {
    public func createProject(_ draft: ProjectDraft, actor: UserID?, at: Date) async throws -> Project {
        let taxonomy = try SQLiteStore.json(draft.taxonomy)
        let settings = try SQLiteStore.json(draft.settings)
        return try await write { session in
            // ON CONFLICT: two servers creating the same codename at once get one project and one conflict.
            guard let id = try await session.value(Int64.self, """
                INSERT INTO projects (customer, codename, taxonomy, settings, created_at)
                VALUES (\(draft.customer), \(draft.codename), \(taxonomy), \(settings), \(Self.time(at)))
                ON CONFLICT (codename) DO NOTHING RETURNING id
                """) else {
                throw LabelingError.conflict("codename '\(draft.codename)' is already used by another project")
            }
            try await Self.audit(session, projectId: id, actor: actor, action: "project.created", entity: "project", entityId: id,
                                 after: .object(["codename": .string(draft.codename)]), at: at)
            return Project(id: id, customer: draft.customer, codename: draft.codename, taxonomy: draft.taxonomy,
                           settings: draft.settings, createdAt: at)
        }
    }

    public func project(id: ProjectID) async throws -> Project? {
        try await read { session in try await session.row("SELECT * FROM projects WHERE id = \(id)").map(Self.project) }
    }

    public func projects(memberId: UserID?) async throws -> [Project] {
        try await read { session in
            if let memberId {
                return try await session.rows("""
                    SELECT * FROM projects WHERE id IN (SELECT project_id FROM memberships WHERE user_id = \(memberId)) ORDER BY id
                    """).map(Self.project)
            }
            return try await session.rows("SELECT * FROM projects ORDER BY id").map(Self.project)
        }
    }

    public func addMember(projectId: ProjectID, userId: UserID, role: Role, actor: UserID?, at: Date) async throws {
        try await write { session in
            guard try await session.row("SELECT id FROM users WHERE id = \(userId)") != nil else {
                throw LabelingError.notFound("user \(userId) does not exist")
            }
            let added = try await session.count("""
                INSERT INTO memberships (project_id, user_id, role) VALUES (\(projectId), \(userId), \(role.rawValue))
                ON CONFLICT DO NOTHING RETURNING 1
                """)
            if added > 0 {
                try await Self.audit(session, projectId: projectId, actor: actor, action: "member.added", entity: "user", entityId: userId,
                                     after: .object(["role": .string(role.rawValue)]), at: at)
            }
        }
    }

    public func roles(userId: UserID, projectId: ProjectID) async throws -> Set<Role> {
        try await read { session in
            let names = try await session.values(String.self, "SELECT role FROM memberships WHERE user_id = \(userId) AND project_id = \(projectId)")
            return Set(names.compactMap(Role.init(rawValue:)))
        }
    }

    public func annotatorCount(projectId: ProjectID) async throws -> Int {
        try await read { session in
            try await session.value(Int.self, "SELECT COUNT(*) FROM memberships WHERE project_id = \(projectId) AND role = 'annotator'") ?? 0
        }
    }

    public func updateSettings(projectId: ProjectID, settings: ProjectSettings, actor: UserID?, at: Date) async throws -> Project {
        let settingsText = try SQLiteStore.json(settings)
        return try await write { session in
            // Locked: a scene registered meanwhile on another server cannot slip past the tile-grid freeze.
            guard var project = try await session.row("SELECT * FROM projects WHERE id = \(projectId) FOR UPDATE").map(Self.project) else {
                throw LabelingError.notFound("project \(projectId) not found")
            }
            let scenes = try await session.value(Int.self, "SELECT COUNT(*) FROM scenes WHERE project_id = \(projectId)") ?? 0
            try QueueRules.checkSettingsChange(projectId: projectId, from: project.settings, to: settings, sceneCount: scenes)
            try await session.run("UPDATE projects SET settings = \(settingsText) WHERE id = \(projectId)")
            try await Self.audit(session, projectId: projectId, actor: actor, action: "project.settings_changed", entity: "project",
                                 entityId: projectId, before: JSONValue(parsing: try SQLiteStore.json(project.settings)),
                                 after: JSONValue(parsing: settingsText), at: at)
            project.settings = settings
            return project
        }
    }
}
