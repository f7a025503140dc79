import Synchronization

/// Rendered tiles kept in memory up to a byte budget; when full, the least
/// recently used quarter goes (one sort per eviction round rather than a
/// linked list touched on every hit).
public final class TileCache: Sendable {
    public struct Entry: Sendable {
        public let png: [UInt8]
        public let etag: String

        public init(png: [UInt8], etag: String) {
            self.png = png
            self.etag = etag
        }
    }

    private struct State {
        var entries: [String: (entry: Entry, lastUse: UInt64)] = [:]
        var bytes = 0
        var clock: UInt64 = 0
    }

    private let state = Mutex(State())
    public let capacityBytes: Int

    public init(capacityBytes: Int) {
        self.capacityBytes = capacityBytes
    }

    public func entry(_ key: String) -> Entry? {
        state.withLock { state in
            guard let found = state.entries[key] else { return nil }
            state.clock += 1
            state.entries[key]?.lastUse = state.clock
            return found.entry
        }
    }

    public func store(_ entry: Entry, for key: String) {
        let size = entry.png.count + key.utf8.count
        guard size <= capacityBytes else { return }
        state.withLock { state in
            state.clock += 1
            if let old = state.entries.updateValue((entry, state.clock), forKey: key) {
                state.bytes -= old.entry.png.count + key.utf8.count
            }
            state.bytes += size
            guard state.bytes > capacityBytes else { return }
            let byAge = state.entries.sorted { $0.value.lastUse < $1.value.lastUse }
            var removed = 0
            for (oldKey, old) in byAge where oldKey != key {
                if state.bytes <= capacityBytes, removed >= byAge.count / 4 { break }
                state.entries[oldKey] = nil
                state.bytes -= old.entry.png.count + oldKey.utf8.count
                removed += 1
            }
        }
    }

    public var byteCount: Int { state.withLock { $0.bytes } }
    public var count: Int { state.withLock { $0.entries.count } }
}
