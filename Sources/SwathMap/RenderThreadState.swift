import Foundation
import SwathGeo

/// What one render thread keeps between jobs: open warpers by file path.
public final class RenderThreadState {
    private var warpers: [String: WarperSlot] = [:]
    private var uses = 0
    /// Open scenes per thread; more are closed, least recently used first.
    static let capacity = 16

    struct WarperSlot {
        var warper: TileWarper
        var lastUse: Int
    }

    /// The thread's warper on the file `key`, opened by `open` the first time.
    func warper(_ key: String, open: () throws -> TileWarper) rethrows -> TileWarper {
        uses += 1
        if let slot = warpers[key] {
            warpers[key]?.lastUse = uses
            return slot.warper
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
