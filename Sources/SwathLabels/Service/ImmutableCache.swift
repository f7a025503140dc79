import Synchronization

/// Remembers objects that rarely change once stored (scenes, projects), so
/// hot routes skip a database read and a JSON decode. Whoever changes one
/// through this process calls `forget`. Bounded: it simply starts over when full.
final class ImmutableCache<Key: Hashable & Sendable, Value: Sendable>: Sendable {
    private let entries = Mutex<[Key: Value]>([:])
    private let capacity: Int

    init(capacity: Int = 10_000) {
        self.capacity = capacity
    }

    func forget(_ key: Key) {
        _ = entries.withLock { $0.removeValue(forKey: key) }
    }

    func value(_ key: Key, load: () async throws -> Value?) async rethrows -> Value? {
        if let hit = entries.withLock({ $0[key] }) { return hit }
        guard let loaded = try await load() else { return nil }
        entries.withLock { entries in
            if entries.count >= capacity { entries.removeAll(keepingCapacity: true) }
            entries[key] = loaded
        }
        return loaded
    }
}
