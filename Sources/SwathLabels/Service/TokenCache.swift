import Foundation
import Synchronization

/// Recently authenticated tokens (by hash), kept for a second so
/// the hottest routes skip one database read per request. A revocation made
/// through this service clears the cache at once and moves `generation` on,
/// so a lookup that read the database before the revocation committed cannot
/// cache the revoked token after it; one made by another process
/// (`swath admin revoke-tokens`) takes effect within `lifetime`.
final class TokenCache: Sendable {
    private struct Entry {
        var user: User
        var expires: Date
    }

    private struct State {
        var entries: [String: Entry] = [:]
        var generation = 0
    }

    private let state = Mutex(State())
    let lifetime: TimeInterval

    init(lifetime: TimeInterval = 1) {
        self.lifetime = lifetime
    }

    var generation: Int { state.withLock { $0.generation } }

    func user(hash: String, now: Date) -> User? {
        state.withLock { state in
            guard let entry = state.entries[hash] else { return nil }
            guard entry.expires > now else { state.entries[hash] = nil; return nil }
            return entry.user
        }
    }

    /// Caches the user unless a revocation happened since `generation` was read.
    func remember(_ user: User, hash: String, now: Date, ifGeneration generation: Int) {
        state.withLock { state in
            guard state.generation == generation else { return }
            if state.entries.count > 100_000 { state.entries.removeAll(keepingCapacity: true) }
            state.entries[hash] = Entry(user: user, expires: now.addingTimeInterval(lifetime))
        }
    }

    func forget(userId: UserID) {
        state.withLock { state in
            state.generation += 1
            state.entries = state.entries.filter { $0.value.user.id != userId }
        }
    }
}
