import Foundation
import Logging
import PostgresNIO

/// One pooled connection lent to a read or a transaction, with the few
/// operations the store's queries need: rows, one row, one value, a statement.
struct PostgresSession {
    let connection: PostgresConnection
    let logger: Logger

    func rows(_ query: PostgresQuery) async throws -> [PostgresRandomAccessRow] {
        var found: [PostgresRandomAccessRow] = []
        for try await row in try await connection.query(query, logger: logger) {
            found.append(row.makeRandomAccess())
        }
        return found
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

    func run(_ query: PostgresQuery) async throws {
        for try await _ in try await connection.query(query, logger: logger) {}
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
