import Foundation
import GRDB

/// The jobs table on one machine: SQLite's single writer makes each claim a
/// plain check-and-set inside its transaction.
extension SQLiteStore {
    public func createJob(_ draft: JobDraft, actor: UserID?, at: Date) async throws -> Job {
        try await write { db in
            let pending = try db.value(Int.self, """
                SELECT COUNT(*) FROM jobs WHERE project_id = ? AND kind = ? AND status IN ('queued', 'running')
                """, arguments: [draft.projectId, draft.kind.rawValue]) ?? 0
            guard draft.kind == .overviews || pending < JobRules.maximumPendingPerProject else { throw JobRules.queueFull(projectId: draft.projectId, kind: draft.kind) }
            try db.run("""
                INSERT INTO jobs (project_id, kind, parameters, status, attempts, max_attempts, run_after, created_by, created_at, updated_at)
                VALUES (?, ?, ?, 'queued', 0, ?, ?, ?, ?, ?)
                """, arguments: [draft.projectId, draft.kind.rawValue, draft.parameters, draft.maxAttempts, Self.time(at), actor,
                                 Self.time(at), Self.time(at)])
            let id = db.lastInsertedRowID
            try Self.audit(db, projectId: draft.projectId, actor: actor, action: "job.queued", entity: "job", entityId: id,
                           after: .object(["kind": .string(draft.kind.rawValue)]), at: at)
            guard let job = try Self.job(db, id: id) else { throw LabelingError.notFound("job \(id) not found") }
            return job
        }
    }

    public func job(id: JobID) async throws -> Job? {
        try await pool.read { db in try Self.job(db, id: id) }
    }

    public func claimJob(worker: String, leaseSeconds: Int, at: Date) async throws -> Job? {
        try await write { db in
            let now = Self.time(at)
            try db.run("""
                UPDATE jobs SET status = 'failed', worker = NULL, lease_expires_at = NULL, error = ?, updated_at = ?
                WHERE status = 'running' AND lease_expires_at < ? AND attempts >= max_attempts
                """, arguments: [JobRules.lostWorker, now, now])
            guard let id = try db.value(JobID.self, """
                SELECT id FROM jobs
                WHERE (status = 'queued' AND run_after <= ?) OR (status = 'running' AND lease_expires_at < ? AND attempts < max_attempts)
                ORDER BY id LIMIT 1
                """, arguments: [now, now]) else { return nil }
            try db.run("""
                UPDATE jobs SET status = 'running', worker = ?, lease_expires_at = ?, attempts = attempts + 1, updated_at = ? WHERE id = ?
                """, arguments: [worker, now + Double(leaseSeconds), now, id])
            return try Self.job(db, id: id)
        }
    }

    public func heartbeatJob(id: JobID, worker: String, done: Int, total: Int, leaseSeconds: Int, at: Date) async throws -> Bool {
        try await write { db in
            let now = Self.time(at)
            try db.run("""
                UPDATE jobs SET lease_expires_at = ?, progress_done = ?, progress_total = ?, updated_at = ?
                WHERE id = ? AND status = 'running' AND worker = ? AND lease_expires_at >= ?
                """, arguments: [now + Double(leaseSeconds), done, total, now, id, worker, now])
            return db.changesCount > 0
        }
    }

    public func finishJob(id: JobID, worker: String, result: String, at: Date) async throws -> Bool {
        try await write { db in
            try db.run("""
                UPDATE jobs SET status = 'succeeded', result = ?, error = NULL, worker = NULL, lease_expires_at = NULL,
                    progress_done = progress_total, updated_at = ?
                WHERE id = ? AND status = 'running' AND worker = ?
                """, arguments: [result, Self.time(at), id, worker])
            return db.changesCount > 0
        }
    }

    public func failJob(id: JobID, worker: String, error: String, at: Date) async throws -> Job? {
        try await write { db in
            guard let job = try Self.job(db, id: id), job.status == .running, job.worker == worker else { return nil }
            let next = JobRules.afterFailure(attempts: job.attempts, maxAttempts: job.maxAttempts, at: at)
            try db.run("""
                UPDATE jobs SET status = ?, run_after = ?, error = ?, worker = NULL, lease_expires_at = NULL, updated_at = ? WHERE id = ?
                """, arguments: [next.status.rawValue, Self.time(next.runAfter), error, Self.time(at), id])
            return try Self.job(db, id: id)
        }
    }

    static func job(_ db: Database, id: JobID) throws -> Job? {
        try db.row("SELECT * FROM jobs WHERE id = ?", arguments: [id]).map(job)
    }

    static func job(_ row: Row) -> Job {
        Job(id: row["id"], projectId: row["project_id"], kind: JobKind(rawValue: row["kind"]) ?? .export, parameters: row["parameters"],
            status: JobStatus(rawValue: row["status"]) ?? .failed, attempts: row["attempts"], maxAttempts: row["max_attempts"],
            runAfter: date(row["run_after"] as Double), worker: row["worker"], leaseExpiresAt: date(row["lease_expires_at"] as Double?),
            progressDone: row["progress_done"], progressTotal: row["progress_total"], result: row["result"], error: row["error"],
            createdBy: row["created_by"], createdAt: date(row["created_at"] as Double), updatedAt: date(row["updated_at"] as Double))
    }
}
