import Foundation

/// What one render thread keeps between jobs: open warpers by file path.
public final class RenderThreadState {
    private var warpers: [String: WarperSlot] = [:]
    private var uses = 0
    /// Open scenes per thread; more are closed, least recently used first.
    static let capacity = 16

    struct WarperSlot {
        var warper: AnyObject
        var lastUse: Int
    }

    /// The thread's handle on `key`, opened by `open` the first time.
    func value<T: AnyObject>(_ key: String, open: () throws -> T) rethrows -> T {
        uses += 1
        if let slot = warpers[key], let value = slot.warper as? T {
            warpers[key]?.lastUse = uses
            return value
        }
        if warpers.count >= Self.capacity, let oldest = warpers.min(by: { $0.value.lastUse < $1.value.lastUse })?.key {
            warpers[oldest] = nil
        }
        let value = try open()
        warpers[key] = WarperSlot(warper: value, lastUse: uses)
        return value
    }

    /// Drops the handle on `key` (its file went away or changed).
    func forget(_ key: String) {
        warpers[key] = nil
    }
}
