import Foundation
import GRDB

extension SQLiteStore {
    public func createUser(name: String, isAdmin: Bool, tokenHash: String, actor: UserID?, at: Date) async throws -> User {
        try await write { db in
            try db.run("INSERT INTO users (name, is_admin, created_at) VALUES (?, ?, ?)",
                           arguments: [name, isAdmin, Self.time(at)])
            let id = db.lastInsertedRowID
            try db.run("INSERT INTO tokens (user_id, hash, created_at) VALUES (?, ?, ?)",
                           arguments: [id, tokenHash, Self.time(at)])
            try Self.audit(db, projectId: nil, actor: actor, action: "user.created", entity: "user", entityId: id,
                           after: .object(["name": .string(name), "isAdmin": .bool(isAdmin)]), at: at)
            return User(id: id, name: name, isAdmin: isAdmin, createdAt: at)
        }
    }

    public func addToken(userId: UserID, tokenHash: String, actor: UserID?, at: Date) async throws {
        try await write { db in
            guard try db.row("SELECT id FROM users WHERE id = ?", arguments: [userId]) != nil else {
                throw LabelingError.notFound("user \(userId) does not exist")
            }
            try db.run("INSERT INTO tokens (user_id, hash, created_at) VALUES (?, ?, ?)",
                           arguments: [userId, tokenHash, Self.time(at)])
            try Self.audit(db, projectId: nil, actor: actor, action: "token.issued", entity: "user", entityId: userId, at: at)
        }
    }

    public func revokeTokens(userId: UserID, actor: UserID?, at: Date) async throws {
        try await write { db in
            try db.run("UPDATE tokens SET revoked_at = ? WHERE user_id = ? AND revoked_at IS NULL",
                           arguments: [Self.time(at), userId])
            guard db.changesCount > 0 else { throw LabelingError.notFound("user \(userId) has no live token") }
            try Self.audit(db, projectId: nil, actor: actor, action: "token.revoked", entity: "user", entityId: userId, at: at)
        }
    }

    public func user(id: UserID) async throws -> User? {
        try await pool.read { db in
            try db.row("SELECT * FROM users WHERE id = ?", arguments: [id]).map(Self.user)
        }
    }

    public func user(tokenHash: String) async throws -> User? {
        try await pool.read { db in
            try db.row("""
                SELECT users.* FROM tokens JOIN users ON users.id = tokens.user_id
                WHERE tokens.hash = ? AND tokens.revoked_at IS NULL
                """, arguments: [tokenHash]).map(Self.user)
        }
    }

    public func tokenWasRevoked(tokenHash: String) async throws -> Bool {
        try await pool.read { db in
            try db.value(Int.self, "SELECT COUNT(*) FROM tokens WHERE hash = ? AND revoked_at IS NOT NULL", arguments: [tokenHash]) ?? 0 > 0
        }
    }

    public func userCount() async throws -> Int {
        try await pool.read { db in try db.value(Int.self, "SELECT COUNT(*) FROM users") ?? 0 }
    }
}
