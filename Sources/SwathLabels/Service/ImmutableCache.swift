import Synchronization

/// Remembers objects that rarely change once stored (scenes, projects), so
/// hot routes skip a database read and a JSON decode. Whoever changes one
/// through this process calls `forget`; with a `lifetime`, an entry is also
/// read again once it is that old, so a change made through another server
/// on the same database (a project's settings) is seen within it.
/// Bounded: it simply starts over when full.
final class ImmutableCache<Key: Hashable & Sendable, Value: Sendable>: Sendable {
    private let entries = Mutex<[Key: (value: Value, loaded: ContinuousClock.Instant)]>([:])
    private let capacity: Int
    private let lifetime: Duration?

    init(capacity: Int = 10_000, lifetime: Duration? = nil) {
        self.capacity = capacity
        self.lifetime = lifetime
    }

    func forget(_ key: Key) {
        _ = entries.withLock { $0.removeValue(forKey: key) }
    }

    func value(_ key: Key, load: () async throws -> Value?) async rethrows -> Value? {
        let now = ContinuousClock.now
        if let hit = entries.withLock({ $0[key] }), lifetime.map({ now - hit.loaded < $0 }) ?? true { return hit.value }
        guard let loaded = try await load() else { return nil }
        entries.withLock { entries in
            if entries.count >= capacity { entries.removeAll(keepingCapacity: true) }
            entries[key] = (loaded, now)
        }
        return loaded
    }
}
