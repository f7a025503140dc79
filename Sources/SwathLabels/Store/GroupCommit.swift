import Synchronization

/// Group commit: writes that arrive while one transaction is committing wait
/// together and then share the next transaction, each in a savepoint of its
/// own. A write that fails rolls back only its savepoint; the others commit.
/// Every caller hears back only after the shared commit: nothing is
/// acknowledged that could still be lost, and if the commit fails, all fail.
///
/// `Connection` is the store's handle on an open transaction (GRDB's
/// `Database`, a PostgreSQL session). The store supplies `commit`, which runs
/// one batch in one transaction, and `savepoint`, which runs one write in a
/// savepoint of it; the order of writes is the order they arrived.
final class GroupCommit<Connection>: Sendable {
    /// One waiting write, its result type erased: `run` performs it inside the
    /// shared transaction and keeps the outcome, `finish` delivers it after the commit.
    struct Pending: Sendable {
        let run: @Sendable (Connection) -> Void
        let finish: @Sendable ((any Error)?) -> Void
    }

    private struct Queue {
        var waiting: [Pending] = []
        var draining = false
    }

    private let queue = Mutex(Queue())
    private let maximumBatch: Int
    private let commit: @Sendable (@escaping @Sendable (Connection) -> Void) async throws -> Void
    private let savepoint: @Sendable (Connection, _ body: (Connection) throws -> Void) throws -> Void

    /// - Parameters:
    ///   - maximumBatch: at most this many writes share a transaction (a bound on how long one commit holds the writer).
    ///   - commit: runs its argument in one transaction and commits.
    ///   - savepoint: runs `body` in a savepoint, rolled back if it throws.
    init(maximumBatch: Int,
         commit: @escaping @Sendable (@escaping @Sendable (Connection) -> Void) async throws -> Void,
         savepoint: @escaping @Sendable (Connection, _ body: (Connection) throws -> Void) throws -> Void) {
        self.maximumBatch = max(1, maximumBatch)
        self.commit = commit
        self.savepoint = savepoint
    }

    /// Runs `body` in the next shared transaction and returns once that has committed.
    func write<T: Sendable>(_ body: @escaping @Sendable (Connection) throws -> T) async throws -> T {
        let outcome = FirstOutcome<T>()
        let kept = Mutex<Result<T, any Error>?>(nil)
        let savepoint = self.savepoint
        enqueue(Pending(
            run: { connection in
                let result = Result { () throws -> T in
                    var value: T?
                    try savepoint(connection) { value = try body($0) }
                    guard let value else { throw StoreFailure("a grouped write finished without a value") }
                    return value
                }
                kept.withLock { $0 = result }
            },
            finish: { commitFailure in
                if let commitFailure { return outcome.finish(.failure(commitFailure)) }
                outcome.finish(kept.withLock { $0 } ?? .failure(StoreFailure("a grouped write was committed without running")))
            }))
        return try await outcome.value()
    }

    private func enqueue(_ pending: Pending) {
        let startsDraining = queue.withLock { queue -> Bool in
            queue.waiting.append(pending)
            guard !queue.draining else { return false }
            queue.draining = true
            return true
        }
        if startsDraining { Task { await drain() } }
    }

    /// Commits batches until nobody is waiting; whoever arrives meanwhile joins the next one.
    private func drain() async {
        while let batch = nextBatch() {
            do {
                try await commit { connection in
                    for pending in batch { pending.run(connection) }
                }
                for pending in batch { pending.finish(nil) }
            } catch {
                for pending in batch { pending.finish(error) }
            }
        }
    }

    private func nextBatch() -> [Pending]? {
        queue.withLock { queue in
            guard !queue.waiting.isEmpty else {
                queue.draining = false
                return nil
            }
            let batch = Array(queue.waiting.prefix(maximumBatch))
            queue.waiting.removeFirst(batch.count)
            return batch
        }
    }
}
