import PostgresNIO

/// What /healthz and /metrics ask of the database.
extension PostgresStore {
    public var connectionWaits: (count: Int, seconds: Double)? { poolWaits.snapshot }

    public func ping() async throws {
        _ = try await read { session in try await session.value(Int.self, "SELECT 1") }
    }

    public func openTaskCount() async throws -> Int {
        try await read { session in try await session.value(Int.self, "SELECT COUNT(*) FROM tasks WHERE status = 'open'") ?? 0 }
    }

    public func projectVersion(projectId: ProjectID) async throws -> Int64 {
        try await read { session in
            try await session.value(Int64.self, """
                SELECT version + COALESCE((SELECT SUM(bumps) FROM project_versions WHERE project_id = \(projectId)), 0)::bigint
                FROM projects WHERE id = \(projectId)
                """) ?? 0
        }
    }

    public func auditEvents(projectId: ProjectID, afterId: Int64, limit: Int) async throws -> [AuditEvent] {
        try await read { session in
            try await session.rows("""
                SELECT * FROM audit_events WHERE project_id = \(projectId) AND id > \(afterId) ORDER BY id LIMIT \(limit)
                """).map(Self.auditEvent)
        }
    }
}
