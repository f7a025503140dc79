import Foundation

/// Where the labeling database is: a SQLite file, or a PostgreSQL server
/// named by a URL `postgres://user:password@host:port/database?sslmode=…`.
/// Parsed once, so the password never travels further than the connection
/// and every message names the host and database instead.
public enum DatabaseLocation: Sendable, Equatable, CustomStringConvertible {
    case sqlite(path: String)
    case postgres(PostgresLocation)

    /// `value` is a URL when it starts with `postgres://` or `postgresql://`, a file path otherwise.
    public init(_ value: String) throws {
        let lowered = value.lowercased()
        if lowered.hasPrefix("postgres://") || lowered.hasPrefix("postgresql://") {
            self = .postgres(try PostgresLocation(url: value))
        } else if lowered.contains("://") {
            let scheme = value.prefix { $0 != ":" }
            throw LabelingError.invalid("--db: '\(scheme)://' is not a database this server knows; give a SQLite file path or a postgres:// URL")
        } else if value.isEmpty {
            throw LabelingError.invalid("--db: empty; give a SQLite file path or a postgres:// URL")
        } else {
            self = .sqlite(path: value)
        }
    }

    /// Opens the store (PostgreSQL: connects, checks PostGIS, migrates).
    public func open() async throws -> any Store {
        switch self {
        case .sqlite(let path): return try SQLiteStore(path: path)
        case .postgres(let location):
            return try await PostgresStore.open(location, groupCommitLanes: try Self.groupCommitLanes())
        }
    }

    /// `SWATH_PG_GROUP_COMMIT=N`: label saves on PostgreSQL share transactions, on up to N connections at once.
    public static func groupCommitLanes(_ environment: [String: String] = ProcessInfo.processInfo.environment) throws -> Int? {
        guard let text = environment["SWATH_PG_GROUP_COMMIT"], !text.isEmpty else { return nil }
        guard let lanes = Int(text), (1...64).contains(lanes) else {
            throw LabelingError.invalid("SWATH_PG_GROUP_COMMIT: '\(text)' is not a number of connections from 1 to 64")
        }
        return lanes
    }

    /// Safe to print: a path, or the server and database without credentials.
    public var description: String {
        switch self {
        case .sqlite(let path): return path
        case .postgres(let location): return location.description
        }
    }
}
