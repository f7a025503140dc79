import Foundation
import Synchronization

/// Recently authenticated tokens (by hash), kept for a couple of seconds so
/// the hottest routes skip one database read per request. A revocation made
/// through this service clears the cache at once; one made by another
/// process (`swath admin revoke-tokens`) takes effect within `lifetime`.
final class TokenCache: Sendable {
    private struct Entry {
        var user: User
        var expires: Date
    }

    private let entries = Mutex<[String: Entry]>([:])
    let lifetime: TimeInterval

    init(lifetime: TimeInterval = 2) {
        self.lifetime = lifetime
    }

    func user(hash: String, now: Date) -> User? {
        entries.withLock { entries in
            guard let entry = entries[hash] else { return nil }
            guard entry.expires > now else { entries[hash] = nil; return nil }
            return entry.user
        }
    }

    func remember(_ user: User, hash: String, now: Date) {
        entries.withLock { entries in
            if entries.count > 100_000 { entries.removeAll(keepingCapacity: true) }
            entries[hash] = Entry(user: user, expires: now.addingTimeInterval(lifetime))
        }
    }

    func forget(userId: UserID) {
        entries.withLock { entries in entries = entries.filter { $0.value.user.id != userId } }
    }
}
