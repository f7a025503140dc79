import PostgresNIO
import Synchronization

extension PostgresStore {
    /// One write inside a shared transaction (see `GroupCommit`).
    typealias GroupedStep = @Sendable (PostgresSession) async -> Void

    /// Runs `body` in a savepoint of a transaction shared with the saves
    /// waiting beside it, and returns once that has committed. A body that
    /// throws is rolled back to its savepoint alone; one that lost a deadlock
    /// or a serialization conflict is run again, up to 3 times, then refused as busy.
    func grouped<T: Sendable>(_ group: GroupCommit<GroupedStep>, key: Int64,
                              _ body: @escaping @Sendable (PostgresSession) async throws -> T) async throws -> T {
        try await group.write(key: key) { keep in
            { session in
                for attempt in 1... {
                    do {
                        try await session.run("SAVEPOINT grouped_write")
                        let value = try await body(session)
                        try await session.run("RELEASE SAVEPOINT grouped_write")
                        return keep(.success(value))
                    } catch {
                        // A lost connection has nothing left to roll back; the shared commit fails and says so to everyone.
                        guard !session.connection.isClosed, !Self.isConnectionLoss(error) else { return keep(.failure(self.translate(error))) }
                        do {
                            try await session.run("ROLLBACK TO SAVEPOINT grouped_write")
                            try await session.run("RELEASE SAVEPOINT grouped_write")
                        } catch {
                            return keep(.failure(self.translate(error)))
                        }
                        if let failure = error as? PSQLError, Self.isRetryable(failure), attempt < 3 { continue }
                        if let failure = error as? PSQLError, Self.isRetryable(failure) {
                            return keep(.failure(LabelingError.busy("the database kept refusing the change under contention; try again",
                                                                    retryAfterSeconds: 1)))
                        }
                        return keep(.failure(self.translate(error)))
                    }
                }
            }
        }
    }

    /// How the group's batches commit: one transaction, its steps in order (`write` runs it again whole on a deadlock).
    static func groupCommit(lanes: Int, maximumBatch: Int, store: WeakPostgresStore) -> GroupCommit<GroupedStep> {
        GroupCommit(maximumBatch: maximumBatch, lanes: lanes) { steps in
            guard let postgres = store.value else { throw LabelingError.busy("the store is closing", retryAfterSeconds: 1) }
            try await postgres.write { session in
                for step in steps { await step(session) }
            }
        }
    }
}

/// The store, for its group commit's batches, without keeping it alive (it owns the group).
final class WeakPostgresStore: Sendable {
    private let reference = Mutex<WeakReference>(WeakReference())

    private struct WeakReference: @unchecked Sendable {
        weak var store: PostgresStore?
    }

    var value: PostgresStore? { reference.withLock { $0.store } }
    func set(_ store: PostgresStore) { reference.withLock { $0.store = store } }
}
