import Synchronization

/// Group commit: writes that arrive while a transaction is committing wait
/// together and then share the next transaction, each in a savepoint of its
/// own. A write that fails rolls back only its savepoint; the others commit.
/// Every caller hears back only after the shared commit: nothing is
/// acknowledged that could still be lost, and if the commit fails, all fail.
///
/// `Step` is how the store runs one write inside the shared transaction (for
/// SQLite a closure over GRDB's `Database`, for PostgreSQL an async closure
/// over a session); the store's `commit` runs a batch of steps, in the order
/// they arrived, in one transaction.
///
/// There are `lanes` independent queues, each committing one batch at a time
/// (SQLite has one writer, so one lane; PostgreSQL can commit on several
/// connections). A write names its lane by a key: writes that lock the same
/// rows (saves of one task) must share a lane, or two batches could each hold
/// a row the other waits for until both commit, a deadlock.
final class GroupCommit<Step: Sendable>: Sendable {
    private struct Pending: Sendable {
        let step: Step
        let finish: @Sendable ((any Error)?) -> Void
    }

    private struct Lane {
        var waiting: [Pending] = []
        var draining = false
    }

    private let queues: Mutex<[Lane]>
    private let maximumBatch: Int
    private let lanes: Int
    private let commit: @Sendable ([Step]) async throws -> Void

    /// - Parameters:
    ///   - maximumBatch: at most this many writes share a transaction (a bound on how long one commit holds its locks).
    ///   - lanes: independent queues, each committing one transaction at a time.
    ///   - commit: runs the steps in one transaction and commits.
    init(maximumBatch: Int, lanes: Int = 1, commit: @escaping @Sendable ([Step]) async throws -> Void) {
        self.maximumBatch = max(1, maximumBatch)
        self.lanes = max(1, lanes)
        self.commit = commit
        queues = Mutex(Array(repeating: Lane(), count: max(1, lanes)))
    }

    /// Runs a write in the next shared transaction of the lane `key` picks and returns its value once
    /// that has committed. `makeStep` turns the write into a step that, when run, hands its outcome
    /// to `keep` (a value, or the error that rolled back its savepoint).
    func write<T: Sendable>(key: Int64 = 0,
                            _ makeStep: (_ keep: @escaping @Sendable (Result<T, any Error>) -> Void) -> Step) async throws -> T {
        let outcome = FirstOutcome<T>()
        let kept = Mutex<Result<T, any Error>?>(nil)
        let step = makeStep { result in kept.withLock { $0 = result } }
        let lane = Int(key.magnitude % UInt64(lanes))
        enqueue(in: lane, Pending(step: step, finish: { commitFailure in
            if let commitFailure { return outcome.finish(.failure(commitFailure)) }
            outcome.finish(kept.withLock { $0 } ?? .failure(StoreFailure("a grouped write was committed without running")))
        }))
        return try await outcome.value()
    }

    private func enqueue(in lane: Int, _ pending: Pending) {
        let startsDrain = queues.withLock { queues -> Bool in
            queues[lane].waiting.append(pending)
            guard !queues[lane].draining else { return false }
            queues[lane].draining = true
            return true
        }
        if startsDrain { Task { await drain(lane) } }
    }

    /// Commits the lane's batches until nobody is waiting; whoever arrives meanwhile joins the next one.
    private func drain(_ lane: Int) async {
        while let batch = nextBatch(lane) {
            do {
                try await commit(batch.map(\.step))
                for pending in batch { pending.finish(nil) }
            } catch {
                for pending in batch { pending.finish(error) }
            }
        }
    }

    private func nextBatch(_ lane: Int) -> [Pending]? {
        queues.withLock { queues in
            guard !queues[lane].waiting.isEmpty else {
                queues[lane].draining = false
                return nil
            }
            let batch = Array(queues[lane].waiting.prefix(maximumBatch))
            queues[lane].waiting.removeFirst(batch.count)
            return batch
        }
    }
}
