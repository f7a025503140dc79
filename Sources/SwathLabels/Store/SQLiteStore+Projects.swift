import Foundation
import GRDB

extension SQLiteStore {
    public func createProject(_ draft: ProjectDraft, actor: UserID?, at: Date) async throws -> Project {
        try await write { db in
            guard try db.row("SELECT id FROM projects WHERE codename = ?", arguments: [draft.codename]) == nil else {
                throw LabelingError.conflict("codename '\(draft.codename)' is already used by another project")
            }
            try db.run("INSERT INTO projects (customer, codename, taxonomy, settings, created_at) VALUES (?, ?, ?, ?, ?)",
                           arguments: [draft.customer, draft.codename, try Self.json(draft.taxonomy), try Self.json(draft.settings), Self.time(at)])
            let id = db.lastInsertedRowID
            try Self.audit(db, projectId: id, actor: actor, action: "project.created", entity: "project", entityId: id,
                           after: .object(["codename": .string(draft.codename)]), at: at)
            return Project(id: id, customer: draft.customer, codename: draft.codename, taxonomy: draft.taxonomy,
                           settings: draft.settings, createdAt: at)
        }
    }

    public func project(id: ProjectID) async throws -> Project? {
        try await pool.read { db in
            try db.row("SELECT * FROM projects WHERE id = ?", arguments: [id]).map(Self.project)
        }
    }

    public func projects(memberId: UserID?) async throws -> [Project] {
        try await pool.read { db in
            if let memberId {
                return try db.rows("""
                    SELECT * FROM projects WHERE id IN (SELECT project_id FROM memberships WHERE user_id = ?) ORDER BY id
                    """, arguments: [memberId]).map(Self.project)
            }
            return try db.rows("SELECT * FROM projects ORDER BY id").map(Self.project)
        }
    }

    public func addMember(projectId: ProjectID, userId: UserID, role: Role, actor: UserID?, at: Date) async throws {
        try await write { db in
            guard try db.row("SELECT id FROM users WHERE id = ?", arguments: [userId]) != nil else {
                throw LabelingError.notFound("user \(userId) does not exist")
            }
            try db.run("INSERT OR IGNORE INTO memberships (project_id, user_id, role) VALUES (?, ?, ?)",
                           arguments: [projectId, userId, role.rawValue])
            if db.changesCount > 0 {
                try Self.audit(db, projectId: projectId, actor: actor, action: "member.added", entity: "user", entityId: userId,
                               after: .object(["role": .string(role.rawValue)]), at: at)
            }
        }
    }

    public func roles(userId: UserID, projectId: ProjectID) async throws -> Set<Role> {
        try await pool.read { db in
            let names = try db.values(String.self, "SELECT role FROM memberships WHERE user_id = ? AND project_id = ?",
                                            arguments: [userId, projectId])
            return Set(names.compactMap(Role.init(rawValue:)))
        }
    }
}
