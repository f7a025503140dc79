import Foundation
import PostgresNIO

/// Submissions whose consequences are still to be recorded: written in the
/// submit's transaction, deleted in the one that records the flags, gold
/// score and pause; whichever server deletes the row records them, once.
extension PostgresStore {
    static func queueSubmission(_ session: PostgresSession, taskId: TaskID, userId: UserID, claimedAt: Date?, at: Date) async throws {
        let seconds = QueueRules.secondsOnTask(claimedAt: claimedAt, submittedAt: at)
        try await session.run("""
            INSERT INTO submission_outbox (task_id, user_id, seconds_on_task, submitted_at)
            VALUES (\(taskId), \(userId), \(seconds), \(time(at)))
            ON CONFLICT (task_id, user_id) DO UPDATE SET seconds_on_task = EXCLUDED.seconds_on_task, submitted_at = EXCLUDED.submitted_at
            """)
    }

    public func pendingSubmissions(limit: Int) async throws -> [PendingSubmission] {
        try await read { session in
            try await session.rows("SELECT * FROM submission_outbox ORDER BY submitted_at LIMIT \(limit)").map(Self.pending)
        }
    }

    public func pendingSubmission(taskId: TaskID, userId: UserID) async throws -> PendingSubmission? {
        try await read { session in
            try await session.row("SELECT * FROM submission_outbox WHERE task_id = \(taskId) AND user_id = \(userId)").map(Self.pending)
        }
    }

    public func finishSubmission(_ pending: PendingSubmission, flags: [FlagDraft], fingerprints: [StoredFingerprint],
                                 gold: (result: GoldResult, policy: GoldPolicy)?, at: Date) async throws -> AnnotatorPause? {
        let goldResult = gold
        return try await write { session in
            // Another server (or an earlier try) may have finished it: the DELETE waits for it and then finds nothing.
            let claimed = try await session.count("""
                DELETE FROM submission_outbox WHERE task_id = \(pending.taskId) AND user_id = \(pending.userId) RETURNING 1
                """)
            guard claimed > 0 else { return nil }
            try await Self.insertChecks(session, flags: flags, fingerprints: fingerprints, at: at)
            guard let goldResult else { return nil }
            return try await Self.insertGoldResult(session, goldResult.result, policy: goldResult.policy)
        }
    }
}
