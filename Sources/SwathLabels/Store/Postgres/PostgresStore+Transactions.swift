import Foundation
import Synchronization
import Logging
import PostgresNIO

extension PostgresStore {
    /// Runs `body` in one transaction on one pooled connection and commits.
    /// A deadlock or serialization failure rolls back and runs it again (the
    /// body must only touch the database); other failures are translated.
    func write<T: Sendable>(leaseTimeout: Duration = PostgresStore.leaseTimeout,
                            _ body: @escaping @Sendable (PostgresSession) async throws -> T) async throws -> T {
        var attempt = 0
        while true {
            do {
                return try await session(leaseTimeout: leaseTimeout) { session in
                    try await session.run("BEGIN")
                    do {
                        let value = try await body(session)
                        try await session.run("COMMIT")
                        return value
                    } catch {
                        // A lost connection is rolled back by the server; a ROLLBACK written to it
                        // could wait for an answer that never comes.
                        if !session.connection.isClosed, !Self.isConnectionLoss(error) { try? await session.run("ROLLBACK") }
                        throw error
                    }
                }
            } catch let error as PSQLError where Self.isRetryable(error) {
                guard attempt < 8 else {
                    throw LabelingError.busy("the database kept refusing the change under contention; try again", retryAfterSeconds: 1)
                }
                attempt += 1
                try await Task.sleep(for: .milliseconds(Int.random(in: 1...(5 << min(attempt, 5)))))
            }
        }
    }

    /// Runs `body` on one pooled connection, outside any transaction: each statement sees what is committed when it runs.
    func read<T: Sendable>(_ body: @escaping @Sendable (PostgresSession) async throws -> T) async throws -> T {
        do {
            return try await session(leaseTimeout: Self.leaseTimeout, body)
        } catch let error as PSQLError {
            throw LabelingError.busy("the database refused a read under contention (\(error.code)); try again", retryAfterSeconds: 1)
        }
    }

    /// Runs `body` on a pooled connection. The wait for one is bounded: while
    /// the database is down the pool keeps retrying quietly and would hold the
    /// request for as long as the outage lasts; after `leaseTimeout` it is a 503 instead.
    private func session<T: Sendable>(leaseTimeout: Duration,
                                      _ body: @escaping @Sendable (PostgresSession) async throws -> T) async throws -> T {
        let asked = ContinuousClock.now
        let lent = LeaseFlag()
        let outcome = FirstOutcome<T>()
        // Unstructured on purpose: a task group would wait for a cancelled lease request to give up,
        // and the pool may only do so once the database is back (one request hung 12 s that way).
        let work = Task {
            outcome.finish(await Result(catching: {
                try await self.client.withConnection { connection in
                    lent.set()
                    self.poolWaits.record(seconds: Self.seconds(ContinuousClock.now - asked))
                    return try await body(PostgresSession(connection: connection, logger: self.logger))
                }
            }))
        }
        let timer = Task {
            try await Task.sleep(for: leaseTimeout)
            guard !lent.isSet else { return }
            outcome.finish(.failure(Self.unavailable))
            work.cancel()
        }
        defer { timer.cancel() }
        do {
            return try await outcome.value()
        } catch let error as PSQLError where Self.isRetryable(error) {
            throw error
        } catch {
            throw translate(error)
        }
    }

    /// How long a request waits for a pooled connection before it is told the database is unavailable
    /// (a loaded machine can take seconds to start a backend; an outage should not hold requests longer).
    static let leaseTimeout = Duration.seconds(5)

    static let unavailable = LabelingError.busy("the database is unavailable; try again shortly", retryAfterSeconds: 2)

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }

    /// The server went away (shut down, crashed, connection dropped): nothing to roll back on this connection.
    static func isConnectionLoss(_ error: any Error) -> Bool {
        guard let error = error as? PSQLError else { return false }
        if let state = error.serverInfo?[.sqlState] { return state.hasPrefix("08") || state.hasPrefix("57P") }
        return [.connectionError, .serverClosedConnection, .clientClosedConnection, .uncleanShutdown].contains(error.code)
    }

    static func isRetryable(_ error: PSQLError) -> Bool {
        guard let state = error.serverInfo?[.sqlState] else { return false }
        return state == "40001" || state == "40P01"
    }

    /// A database failure as the service's error: constraint clashes are the
    /// request's conflict, an unreachable or restarting server is a 503 to retry,
    /// anything else a store failure naming the database (never the password or the SQL).
    func translate(_ error: any Error) -> any Error {
        if error is LabelingError { return error }
        guard let error = error as? PSQLError else { return StoreFailure("\(location): \(error)") }
        if let state = error.serverInfo?[.sqlState] {
            switch state {
            case "23505": return LabelingError.conflict("that record already exists")
            case "23503": return LabelingError.notFound("a record it refers to does not exist")
            case let s where s.hasPrefix("22"): return LabelingError.invalid("a value cannot be stored: \(error.serverInfo?[.message] ?? s)")
            case let s where s.hasPrefix("08") || s.hasPrefix("57P") || s == "53300":
                return LabelingError.busy("the database is unavailable; try again shortly", retryAfterSeconds: 2)
            default:
                return StoreFailure("\(location): \(error.serverInfo?[.message] ?? "error \(state)") (SQLSTATE \(state))")
            }
        }
        switch error.code {
        case .connectionError, .serverClosedConnection, .clientClosedConnection, .poolClosed, .uncleanShutdown:
            return LabelingError.busy("the database is unavailable; try again shortly", retryAfterSeconds: 2)
        default:
            return StoreFailure("\(location): \(error.code)")
        }
    }

    /// A failure to open, in one line naming the host and database (never the password).
    func describe(_ error: any Error, doing action: String) -> LabelingError {
        if let failure = error as? StoreFailure { return .invalid(failure.description) }
        if let error = error as? LabelingError {
            if case .invalid = error { return error }
            return .invalid("\(location): \(action): \(error.description)")
        }
        if let error = error as? PSQLError {
            if let message = error.serverInfo?[.message] { return .invalid("\(location): \(action): \(message)") }
            let cause = error.underlying.map { "\($0)" } ?? "\(error.code)"
            return .invalid("\(location): \(action): cannot connect (\(cause))")
        }
        return .invalid("\(location): \(action): \(error)")
    }
}

/// Whether a request got its connection (set once, read by the lease timer).
final class LeaseFlag: Sendable {
    private let value = Mutex(false)

    func set() { value.withLock { $0 = true } }
    var isSet: Bool { value.withLock { $0 } }
}
