import Foundation
import Synchronization
import SwathGeo
import SwathLabels

/// One render per key at a time: the first request for a chip starts its
/// render, requests arriving meanwhile wait for that same render and share
/// its outcome (its files, or its error), instead of racing it. The work
/// runs on a GCD thread: GDAL blocks, and Swift's cooperative pool has only
/// one thread per core for every request of the server.
final class ChipRenderGate: Sendable {
    private let running = Mutex<[String: Task<Void, Error>]>([:])
    private let started = Mutex(0)
    private let joined = Mutex(0)
    /// Distinct renders in flight at most (each holds GDAL handles and a chip's pixels); past it, 503.
    let limit: Int

    init(limit: Int = 2 * ProcessInfo.processInfo.activeProcessorCount) {
        self.limit = max(limit, 1)
    }

    /// Runs `work` unless a run for `key` is under way, then waits for that one.
    /// Throws `LabelingError.busy` when `limit` other chips are rendering.
    func run(_ key: String, _ work: @escaping @Sendable () throws -> Void) async throws {
        let task = try running.withLock { tasks in
            if let current = tasks[key] {
                joined.withLock { $0 += 1 }
                return current
            }
            guard tasks.count < limit else {
                throw LabelingError.busy("\(tasks.count) chips are rendering; ask again shortly", retryAfterSeconds: 2)
            }
            // Made and stored under the lock, so its own removal (below) cannot come before it is stored.
            let task = Task<Void, Error> { [self] in
                defer { running.withLock { _ = $0.removeValue(forKey: key) } }
                started.withLock { $0 += 1 }
                try await BlockingWork.run(work)
            }
            tasks[key] = task
            return task
        }
        try await task.value
    }

    /// Renders started since the gate was made, and requests that joined one under way (tests count them).
    var renderCount: Int { started.withLock { $0 } }
    var joinCount: Int { joined.withLock { $0 } }


}
