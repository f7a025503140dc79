import GRDB

/// What /healthz and /metrics ask of the database.
extension SQLiteStore {
    public var kind: String { "sqlite" }

    /// SQLite has no connection pool to wait for (GRDB's readers and writer queue are not counted).
    public var connectionWaits: (count: Int, seconds: Double)? { nil }

    public func ping() async throws {
        _ = try await pool.read { db in try Int.fetchOne(db, sql: "SELECT 1") }
    }

    public func openTaskCount() async throws -> Int {
        try await pool.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM tasks WHERE status = 'open'") ?? 0 }
    }
}
