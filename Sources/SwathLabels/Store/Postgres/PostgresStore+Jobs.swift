import Foundation
import PostgresNIO

/// The jobs table on a server database: workers on any number of machines
/// claim with `FOR UPDATE SKIP LOCKED`, so each passes over the rows another
/// is claiming instead of waiting for them, and no job is handed out twice.
extension PostgresStore {
    static let schemaV4 = """
        CREATE TABLE jobs (
            id BIGSERIAL PRIMARY KEY,
            project_id BIGINT NOT NULL REFERENCES projects(id),
            kind TEXT NOT NULL,
            parameters TEXT NOT NULL,
            status TEXT NOT NULL CHECK (status IN ('queued', 'running', 'succeeded', 'failed')),
            attempts BIGINT NOT NULL DEFAULT 0,
            max_attempts BIGINT NOT NULL,
            run_after DOUBLE PRECISION NOT NULL,
            worker TEXT,
            lease_expires_at DOUBLE PRECISION,
            progress_done BIGINT NOT NULL DEFAULT 0,
            progress_total BIGINT NOT NULL DEFAULT 0,
            result TEXT,
            error TEXT,
            created_by BIGINT REFERENCES users(id),
            created_at DOUBLE PRECISION NOT NULL,
            updated_at DOUBLE PRECISION NOT NULL
        );
        CREATE INDEX jobs_due ON jobs(status, run_after);
        """

    public func createJob(_ draft: JobDraft, actor: UserID?, at: Date) async throws -> Job {
        try await write { session in
            // The project's row, locked: two requests at once count one after the other.
            try await session.run("SELECT id FROM projects WHERE id = \(draft.projectId) FOR UPDATE")
            let pending = try await session.value(Int64.self, """
                SELECT COUNT(*) FROM jobs WHERE project_id = \(draft.projectId) AND kind = \(draft.kind.rawValue) AND status IN ('queued', 'running')
                """) ?? 0
            guard draft.kind == .overviews || pending < JobRules.maximumPendingPerProject else { throw JobRules.queueFull(projectId: draft.projectId, kind: draft.kind) }
            guard let row = try await session.row("""
                INSERT INTO jobs (project_id, kind, parameters, status, attempts, max_attempts, run_after, created_by, created_at, updated_at)
                VALUES (\(draft.projectId), \(draft.kind.rawValue), \(draft.parameters), 'queued', 0, \(draft.maxAttempts), \(Self.time(at)),
                        \(actor), \(Self.time(at)), \(Self.time(at)))
                RETURNING *
                """) else { throw StoreFailure("the new job was not returned") }
            let job = try Self.job(row)
            try await Self.audit(session, projectId: draft.projectId, actor: actor, action: "job.queued", entity: "job", entityId: job.id,
                                 after: .object(["kind": .string(draft.kind.rawValue)]), at: at)
            return job
        }
    }

    public func job(id: JobID) async throws -> Job? {
        try await read { session in try await session.row("SELECT * FROM jobs WHERE id = \(id)").map(Self.job) }
    }

    public func claimJob(worker: String, leaseSeconds: Int, at: Date) async throws -> Job? {
        try await write { session in
            let now = Self.time(at)
            try await session.run("""
                UPDATE jobs SET status = 'failed', worker = NULL, lease_expires_at = NULL, error = \(JobRules.lostWorker), updated_at = \(now)
                WHERE status = 'running' AND lease_expires_at < \(now) AND attempts >= max_attempts
                """)
            return try await session.row("""
                WITH next AS (
                    SELECT id FROM jobs
                    WHERE (status = 'queued' AND run_after <= \(now))
                       OR (status = 'running' AND lease_expires_at < \(now) AND attempts < max_attempts)
                    ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED
                )
                UPDATE jobs SET status = 'running', worker = \(worker), lease_expires_at = \(now + Double(leaseSeconds)),
                    attempts = jobs.attempts + 1, updated_at = \(now)
                FROM next WHERE jobs.id = next.id
                RETURNING jobs.*
                """).map(Self.job)
        }
    }

    public func heartbeatJob(id: JobID, worker: String, done: Int, total: Int, leaseSeconds: Int, at: Date) async throws -> Bool {
        try await write { session in
            let now = Self.time(at)
            return try await session.count("""
                UPDATE jobs SET lease_expires_at = \(now + Double(leaseSeconds)), progress_done = \(done), progress_total = \(total),
                    updated_at = \(now)
                WHERE id = \(id) AND status = 'running' AND worker = \(worker) AND lease_expires_at >= \(now)
                RETURNING 1
                """) > 0
        }
    }

    public func finishJob(id: JobID, worker: String, result: String, at: Date) async throws -> Bool {
        try await write { session in
            try await session.count("""
                UPDATE jobs SET status = 'succeeded', result = \(result), error = NULL, worker = NULL, lease_expires_at = NULL,
                    progress_done = progress_total, updated_at = \(Self.time(at))
                WHERE id = \(id) AND status = 'running' AND worker = \(worker)
                RETURNING 1
                """) > 0
        }
    }

    public func failJob(id: JobID, worker: String, error: String, at: Date) async throws -> Job? {
        try await write { session in
            guard let row = try await session.row("SELECT * FROM jobs WHERE id = \(id) FOR UPDATE") else { return nil }
            let job = try Self.job(row)
            guard job.status == .running, job.worker == worker else { return nil }
            let next = JobRules.afterFailure(attempts: job.attempts, maxAttempts: job.maxAttempts, at: at)
            return try await session.row("""
                UPDATE jobs SET status = \(next.status.rawValue), run_after = \(Self.time(next.runAfter)), error = \(error), worker = NULL,
                    lease_expires_at = NULL, updated_at = \(Self.time(at))
                WHERE id = \(id) RETURNING *
                """).map(Self.job)
        }
    }

    static func job(_ row: PostgresRandomAccessRow) throws -> Job {
        Job(id: try row.get("id"), projectId: try row.get("project_id"), kind: JobKind(rawValue: try row.get("kind")) ?? .export,
            parameters: try row.get("parameters"), status: JobStatus(rawValue: try row.get("status")) ?? .failed,
            attempts: Int(try row.get("attempts", as: Int64.self)), maxAttempts: Int(try row.get("max_attempts", as: Int64.self)),
            runAfter: date(try row.get("run_after")), worker: try row.get("worker"),
            leaseExpiresAt: date(try row.get("lease_expires_at", as: Double?.self)),
            progressDone: Int(try row.get("progress_done", as: Int64.self)), progressTotal: Int(try row.get("progress_total", as: Int64.self)),
            result: try row.get("result"), error: try row.get("error"), createdBy: try row.get("created_by"),
            createdAt: date(try row.get("created_at")), updatedAt: date(try row.get("updated_at")))
    }
}
