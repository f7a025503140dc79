import Foundation
import PostgresNIO

extension PostgresStore {
    public func createUser(name: String, isAdmin: Bool, tokenHash: String, actor: UserID?, at: Date) async throws -> User {
        try await write { session in
            guard let id = try await session.value(Int64.self, """
                INSERT INTO users (name, is_admin, created_at) VALUES (\(name), \(isAdmin), \(Self.time(at))) RETURNING id
                """) else { throw StoreFailure("\(self.location): a new user got no id") }
            try await session.run("INSERT INTO tokens (user_id, hash, created_at) VALUES (\(id), \(tokenHash), \(Self.time(at)))")
            try await Self.audit(session, projectId: nil, actor: actor, action: "user.created", entity: "user", entityId: id,
                                 after: .object(["name": .string(name), "isAdmin": .bool(isAdmin)]), at: at)
            return User(id: id, name: name, isAdmin: isAdmin, createdAt: at)
        }
    }

    public func addToken(userId: UserID, tokenHash: String, actor: UserID?, at: Date) async throws {
        try await write { session in
            guard try await session.row("SELECT id FROM users WHERE id = \(userId)") != nil else {
                throw LabelingError.notFound("user \(userId) does not exist")
            }
            try await session.run("INSERT INTO tokens (user_id, hash, created_at) VALUES (\(userId), \(tokenHash), \(Self.time(at)))")
            try await Self.audit(session, projectId: nil, actor: actor, action: "token.issued", entity: "user", entityId: userId, at: at)
        }
    }

    public func revokeTokens(userId: UserID, actor: UserID?, at: Date) async throws {
        try await write { session in
            let revoked = try await session.count("""
                UPDATE tokens SET revoked_at = \(Self.time(at)) WHERE user_id = \(userId) AND revoked_at IS NULL RETURNING id
                """)
            guard revoked > 0 else { throw LabelingError.notFound("user \(userId) has no live token") }
            try await Self.audit(session, projectId: nil, actor: actor, action: "token.revoked", entity: "user", entityId: userId, at: at)
        }
    }

    public func user(id: UserID) async throws -> User? {
        try await read { session in try await session.row("SELECT * FROM users WHERE id = \(id)").map(Self.user) }
    }

    public func user(tokenHash: String) async throws -> User? {
        try await read { session in
            try await session.row("""
                SELECT users.* FROM tokens JOIN users ON users.id = tokens.user_id WHERE tokens.hash = \(tokenHash) AND tokens.revoked_at IS NULL
                """).map(Self.user)
        }
    }

    public func tokenWasRevoked(tokenHash: String) async throws -> Bool {
        try await read { session in
            try await session.row("SELECT 1 FROM tokens WHERE hash = \(tokenHash) AND revoked_at IS NOT NULL") != nil
        }
    }

    public func userCount() async throws -> Int {
        try await read { session in try await session.value(Int.self, "SELECT COUNT(*) FROM users") ?? 0 }
    }
}
