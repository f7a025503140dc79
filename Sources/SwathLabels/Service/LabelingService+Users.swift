import Foundation

extension LabelingService {
    /// The user behind a bearer token; 401 when it is unknown or revoked.
    public func authenticate(token: String) async throws -> User {
        let hash = TokenCodec.hash(token)
        let now = Date()  // the real clock: cache expiry is wall time, whatever the service's clock says
        if let cached = tokenCache.user(hash: hash, now: now) { return cached }
        // Taken before the read: a revocation committed meanwhile moves it on, and the answer is not cached.
        let generation = tokenCache.generation
        guard !token.isEmpty, let user = try await store.user(tokenHash: hash) else {
            throw LabelingError.unauthenticated("the token is not valid (unknown or revoked)")
        }
        tokenCache.remember(user, hash: hash, now: now, ifGeneration: generation)
        return user
    }

    /// Creates a user and returns the token, which is never stored or shown again.
    /// Only admins (and the command line, `User.commandLine`) may create users.
    public func createUser(name: String, isAdmin: Bool, by caller: User) async throws -> (user: User, token: String) {
        guard caller.isAdmin else { throw LabelingError.forbidden("creating users needs the admin role") }
        let trimmed = name.trimmingCharacters(in: .whitespacesAndNewlines)
        guard (1...200).contains(trimmed.count) else { throw LabelingError.invalid("name must be 1…200 characters") }
        let token = TokenCodec.newToken()
        let user = try await store.createUser(name: trimmed, isAdmin: isAdmin, tokenHash: TokenCodec.hash(token),
                                              actor: caller.auditId, at: now())
        return (user, token)
    }

    /// Makes sure an admin exists for a token given at start-up (SWATH_ADMIN_TOKEN).
    public func ensureAdmin(token: String, name: String = "admin") async throws -> User {
        guard token.count >= 22 else { throw LabelingError.invalid("SWATH_ADMIN_TOKEN must be at least 22 characters (128 bits)") }
        if let existing = try await store.user(tokenHash: TokenCodec.hash(token)) {
            guard existing.isAdmin else { throw LabelingError.conflict("SWATH_ADMIN_TOKEN belongs to a user who is not an admin") }
            return existing
        }
        if try await store.tokenWasRevoked(tokenHash: TokenCodec.hash(token)) {
            throw LabelingError.conflict("SWATH_ADMIN_TOKEN was revoked: it is not honoured; set a new one, or unset it")
        }
        return try await store.createUser(name: name, isAdmin: true, tokenHash: TokenCodec.hash(token), actor: nil, at: now())
    }

    /// A fresh token for a user (admins, or the user for themself).
    public func issueToken(userId: UserID, by caller: User) async throws -> String {
        guard caller.isAdmin || caller.id == userId else { throw LabelingError.forbidden("issuing tokens for others needs the admin role") }
        let token = TokenCodec.newToken()
        try await store.addToken(userId: userId, tokenHash: TokenCodec.hash(token), actor: caller.auditId, at: now())
        return token
    }

    /// Revokes every token of a user (admins, or the user for themself).
    public func revokeTokens(userId: UserID, by caller: User) async throws {
        guard caller.isAdmin || caller.id == userId else { throw LabelingError.forbidden("revoking others' tokens needs the admin role") }
        try await store.revokeTokens(userId: userId, actor: caller.auditId, at: now())
        tokenCache.forget(userId: userId)
    }
}
