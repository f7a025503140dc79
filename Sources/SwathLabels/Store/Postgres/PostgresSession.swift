import Foundation
import Logging
import Synchronization
import PostgresNIO

/// One pooled connection lent to a read or a transaction, with the few
/// operations the store's queries need: rows, one row, one value, a statement.
struct PostgresSession {
    let connection: PostgresConnection
    let logger: Logger

    func rows(_ query: PostgresQuery) async throws -> [PostgresRandomAccessRow] {
        let (connection, logger) = (self.connection, self.logger)
        return try await untilConnectionCloses {
            var found: [PostgresRandomAccessRow] = []
            for try await row in try await connection.query(query, logger: logger) {
                found.append(row.makeRandomAccess())
            }
            return found
        }
    }

    /// Runs `operation`, but fails as soon as the connection closes. postgres-nio
    /// (1.33) writes a query to its channel without a promise: a query sent as
    /// the server goes away is never answered nor failed, and the request would
    /// hang for good (seen when the database was stopped under load).
    static let connectionLost = LabelingError.busy("the connection to the database was lost; try again", retryAfterSeconds: 2)

    private func untilConnectionCloses<T: Sendable>(_ operation: @escaping @Sendable () async throws -> T) async throws -> T {
        guard !connection.isClosed else { throw Self.connectionLost }
        let outcome = FirstOutcome<T>()
        let watch = ConnectionWatch.of(connection)
        let ticket = watch.add { outcome.finish(.failure(Self.connectionLost)) }
        defer { watch.remove(ticket) }
        Task { outcome.finish(await Result(catching: operation)) }
        return try await outcome.value()
    }

    func row(_ query: PostgresQuery) async throws -> PostgresRandomAccessRow? {
        try await rows(query).first
    }

    /// The first column of the first row; nil when there is no row or it is NULL.
    func value<T: PostgresDecodable>(_ type: T.Type, _ query: PostgresQuery) async throws -> T? where T._DecodableType == T {
        guard let row = try await row(query) else { return nil }
        return try row[0].decode(T?.self)
    }

    func values<T: PostgresDecodable>(_ type: T.Type, _ query: PostgresQuery) async throws -> [T] {
        try await rows(query).map { try $0[0].decode(T.self) }
    }

    /// A statement without rows (BEGIN, COMMIT, an UPDATE): it too ends when the connection closes.
    /// Unguarded, a COMMIT sent as the database stopped waited for good (2 of 20 saves in flight
    /// through an outage, once a save's other statements had become one call).
    func run(_ query: PostgresQuery) async throws {
        let (connection, logger) = (self.connection, self.logger)
        try await untilConnectionCloses {
            for try await _ in try await connection.query(query, logger: logger) {}
        }
    }

    /// Runs a script of statements (a migration) one by one: the extended
    /// protocol postgres-nio speaks takes one statement at a time.
    func script(_ sql: String) async throws {
        for statement in Self.statements(in: sql) { try await run(PostgresQuery(unsafeSQL: statement)) }
    }

    /// The statements of a script: split at each `;` that ends a line outside a `$$` function body.
    static func statements(in script: String) -> [String] {
        var statements: [String] = []
        var current = ""
        var inBody = false
        for line in script.split(separator: "\n", omittingEmptySubsequences: false) {
            current += line + "\n"
            if line.components(separatedBy: "$$").count % 2 == 0 { inBody.toggle() }
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if !inBody, trimmed.hasSuffix(";"), !trimmed.hasPrefix("--") {
                statements.append(current.trimmingCharacters(in: .whitespacesAndNewlines))
                current = ""
            }
        }
        let rest = current.trimmingCharacters(in: .whitespacesAndNewlines)
        if !rest.isEmpty, !rest.split(separator: "\n").allSatisfy({ $0.trimmingCharacters(in: .whitespaces).hasPrefix("--") }) {
            statements.append(rest)
        }
        return statements
    }

    /// Runs a statement ending in `RETURNING …` and says how many rows it touched.
    func count(_ query: PostgresQuery) async throws -> Int {
        try await rows(query).count
    }
}

extension PostgresRandomAccessRow {
    /// The named column, decoded (`Optional` for nullable columns).
    func get<T: PostgresDecodable>(_ column: String, as type: T.Type = T.self) throws -> T {
        try self[column].decode(T.self)
    }
}

/// The first of several racing outcomes; later ones are dropped. Whoever waits,
/// before or after it arrives, gets that one.
final class FirstOutcome<T: Sendable>: Sendable {
    private let state = Mutex<(continuation: CheckedContinuation<T, any Error>?, result: Result<T, any Error>?)>((nil, nil))

    func finish(_ result: Result<T, any Error>) {
        let continuation = state.withLock { state -> CheckedContinuation<T, any Error>? in
            guard state.result == nil else { return nil }
            state.result = result
            defer { state.continuation = nil }
            return state.continuation
        }
        continuation?.resume(with: result)
    }

    func value() async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            let ready = state.withLock { state -> Result<T, any Error>? in
                if let result = state.result { return result }
                state.continuation = continuation
                return nil
            }
            if let ready { continuation.resume(with: ready) }
        }
    }
}

extension Result where Failure == any Error {
    init(catching body: () async throws -> Success) async {
        do { self = .success(try await body()) } catch { self = .failure(error) }
    }
}
