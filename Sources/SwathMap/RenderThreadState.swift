import Foundation
import SwathGeo

/// What one render thread keeps between jobs: open warpers (map tiles) and
/// grid readers (native-view tiles) by file path.
public final class RenderThreadState {
    private var handles: [String: Slot] = [:]
    private var uses = 0
    /// Open handles per thread; more are closed, least recently used first.
    static let capacity = 16

    struct Slot {
        var handle: AnyObject
        var lastUse: Int
    }

    /// The thread's warper on the file `key`, opened by `open` the first time.
    func warper(_ key: String, open: () throws -> TileWarper) rethrows -> TileWarper {
        try handle("warp:" + key, open: open)
    }

    /// The thread's grid reader on the file `key`, opened by `open` the first time.
    func gridReader(_ key: String, open: () throws -> GridTileReader) rethrows -> GridTileReader {
        try handle("grid:" + key, open: open)
    }

    private func handle<T: AnyObject>(_ key: String, open: () throws -> T) rethrows -> T {
        uses += 1
        if let open = handles[key]?.handle as? T {
            handles[key]?.lastUse = uses
            return open
        }
        if handles.count >= Self.capacity, let oldest = handles.min(by: { $0.value.lastUse < $1.value.lastUse })?.key {
            handles[oldest] = nil
        }
        let value = try open()
        handles[key] = Slot(handle: value, lastUse: uses)
        return value
    }

    /// Drops the handles on `key` (its file went away or changed).
    func forget(_ key: String) {
        handles["warp:" + key] = nil
        handles["grid:" + key] = nil
    }
}
