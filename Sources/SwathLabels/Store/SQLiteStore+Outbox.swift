import Foundation
import GRDB

/// Submissions whose consequences are still to be recorded. The row is
/// written in the submit's own transaction and deleted in the one that
/// records the flags, gold score and pause, so a crash or an error between
/// the two leaves it for `pendingSubmissions` to hand back.
extension SQLiteStore {
    static func queueSubmission(_ db: Database, taskId: TaskID, userId: UserID, claimedAt: Date?, at: Date) throws {
        let seconds = QueueRules.secondsOnTask(claimedAt: claimedAt, submittedAt: at)
        try db.run("""
            INSERT OR REPLACE INTO submission_outbox (task_id, user_id, seconds_on_task, submitted_at) VALUES (?, ?, ?, ?)
            """, arguments: [taskId, userId, seconds, time(at)])
    }

    public func pendingSubmissions(limit: Int) async throws -> [PendingSubmission] {
        try await pool.read { db in
            try db.rows("SELECT * FROM submission_outbox ORDER BY submitted_at LIMIT ?", arguments: [limit]).map(Self.pending)
        }
    }

    public func pendingSubmission(taskId: TaskID, userId: UserID) async throws -> PendingSubmission? {
        try await pool.read { db in
            try db.row("SELECT * FROM submission_outbox WHERE task_id = ? AND user_id = ?", arguments: [taskId, userId]).map(Self.pending)
        }
    }

    static func pending(_ row: Row) -> PendingSubmission {
        PendingSubmission(taskId: row["task_id"], userId: row["user_id"], secondsOnTask: row["seconds_on_task"],
                          submittedAt: date(row["submitted_at"] as Double))
    }

    public func finishSubmission(_ pending: PendingSubmission, flags: [FlagDraft], fingerprints: [StoredFingerprint],
                                 gold: (result: GoldResult, policy: GoldPolicy)?, at: Date) async throws -> AnnotatorPause? {
        try await write { db in
            // Another server (or an earlier try) may have finished it: record nothing twice.
            try db.run("DELETE FROM submission_outbox WHERE task_id = ? AND user_id = ?", arguments: [pending.taskId, pending.userId])
            guard db.changesCount > 0 else { return nil }
            try Self.insertChecks(db, flags: flags, fingerprints: fingerprints, at: at)
            return try gold.flatMap { try Self.insertGoldResult(db, $0.result, policy: $0.policy) }
        }
    }
}
