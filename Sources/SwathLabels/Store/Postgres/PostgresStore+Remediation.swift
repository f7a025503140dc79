import Foundation
import PostgresNIO
import SwathGeo

/// Accepted work, and remediation: the accepted work of a selection reopened
/// for fresh annotators, its old labels kept as history, its unpaid pay reversed
/// (see the SQLite store's twin).
extension PostgresStore {
    public func acceptedWork(projectId: ProjectID) async throws -> [AcceptedWork] {
        try await read { session in
            let labels = "(SELECT COUNT(*) FROM labels l WHERE l.task_id = t.id AND l.superseded_at IS NULL AND l.private_to IS NULL)"
            return try await session.rows("""
                SELECT t.id AS task_id, t.assignee_id AS user_id, COALESCE(t.submitted_at, t.updated_at) AS submitted_at,
                    \(unescaped: labels) AS labels
                FROM tasks t WHERE t.project_id = \(projectId) AND t.status = 'accepted' AND NOT t.gold AND t.assignee_id IS NOT NULL
                UNION ALL
                SELECT a.task_id, a.user_id, COALESCE(a.submitted_at, t.updated_at), \(unescaped: labels)
                FROM assignments a JOIN tasks t ON t.id = a.task_id
                WHERE t.project_id = \(projectId) AND t.status = 'accepted' AND NOT t.gold AND t.assignee_id IS NULL AND a.status = 'submitted'
                ORDER BY 1, 2
                """).map { row in
                AcceptedWork(taskId: try row.get("task_id"), userId: try row.get("user_id"),
                             submittedAt: Self.date(try row.get("submitted_at", as: Double.self)), labels: try row.get("labels"))
            }
        }
    }

    public func remediate(projectId: ProjectID, work: [TaskID: Set<UserID>], actor: UserID?, at: Date) async throws -> RemediationOutcome {
        try await write { session in
            // As the ledger's trigger does: a payout closing meanwhile either commits first (its entries are counted as
            // already paid below) or waits for this transaction, so nothing is both paid and reversed.
            try await session.run("SELECT 1 FROM projects WHERE id = \(projectId) FOR SHARE")
            var outcome = RemediationOutcome(id: 0, projectId: projectId, tasks: work.keys.sorted(), labels: 0, annotators: [], excluded: [],
                                             reversed: 0, reversedEntries: 0, alreadyPaid: 0, currency: nil, createdAt: at)
            var annotators = Set<UserID>(), excluded = Set<UserID>()
            // Tasks locked one by one in id order: two remediations of overlapping selections cannot deadlock,
            // and the second finds the tasks no longer accepted.
            for taskId in outcome.tasks {
                guard let task = try await session.row("SELECT * FROM tasks WHERE id = \(taskId) FOR UPDATE").map(Self.task),
                      task.projectId == projectId, task.status == .accepted else {
                    throw LabelingError.conflict("task \(taskId) is no longer accepted work of this project; nothing was changed, try again")
                }
                let contributors = try await Self.contributors(session, task: task).map(\.userId)
                let matched = Set(contributors).intersection(work[taskId] ?? [])
                annotators.formUnion(matched)
                excluded.formUnion(contributors)
                // Counted by the UPDATE itself (its RETURNING rows), so the number is exactly what this transaction moved.
                let superseded = try await session.value(Int.self, """
                    WITH superseded AS (
                        UPDATE labels SET superseded_at = \(Self.time(at)) WHERE task_id = \(taskId) AND superseded_at IS NULL RETURNING 1)
                    SELECT COUNT(*) FROM superseded
                    """) ?? 0
                outcome.labels += superseded
                try await session.run("UPDATE assignments SET status = 'remediated' WHERE task_id = \(taskId) AND status = 'submitted'")
                try await session.run("""
                    UPDATE tasks SET status = 'open', assignee_id = NULL, agreement = NULL, lease_expires_at = NULL, updated_at = \(Self.time(at))
                    WHERE id = \(taskId)
                    """)
                try await session.run("DELETE FROM pair_agreements WHERE task_id = \(taskId)")
                if !contributors.isEmpty {
                    try await session.run("""
                        INSERT INTO task_exclusions (task_id, user_id) SELECT \(taskId), unnest(\(contributors)) ON CONFLICT DO NOTHING
                        """)
                }
                try await Self.reverseUnpaid(session, taskId: taskId, users: matched, into: &outcome)
                var after = task
                after.status = .open
                after.assigneeId = nil
                try await Self.audit(session, projectId: projectId, actor: actor, action: "task.remediated", entity: "task", entityId: taskId,
                                     before: QueueRules.snapshot(task), after: QueueRules.snapshot(after), at: at)
            }
            outcome.annotators = annotators.sorted()
            outcome.excluded = excluded.sorted()
            // Stored as it stood before it had an id, as SQLite stores it; the audit event carries the id.
            let document = try SQLiteStore.json(outcome)
            guard let id = try await session.value(Int64.self, """
                INSERT INTO remediations (project_id, outcome, created_by, created_at)
                VALUES (\(projectId), \(document), \(actor), \(Self.time(at))) RETURNING id
                """) else { throw StoreFailure("a new remediation got no id") }
            outcome.id = id
            try await Self.audit(session, projectId: projectId, actor: actor, action: "remediation.created", entity: "remediation", entityId: id,
                                 after: JSONValue(parsing: try SQLiteStore.json(outcome)), at: at)
            return outcome
        }
    }

    /// Reverses `users`' acceptances and bonuses on a task not yet reversed, each dated as the entry it takes back (see the
    /// SQLite twin); those inside a closed payout are counted, not touched.
    private static func reverseUnpaid(_ session: PostgresSession, taskId: TaskID, users: Set<UserID>,
                                      into outcome: inout RemediationOutcome) async throws {
        let entries = try await session.rows("""
            SELECT e.*, \(unescaped: isPaid) AS is_paid FROM pay_entries e
            WHERE e.task_id = \(taskId) AND e.cause IN ('acceptance', 'bonus') AND NOT EXISTS (SELECT 1 FROM pay_entries r WHERE r.reverses = e.id)
            ORDER BY e.id
            """)
        for row in entries {
            let entry = try payEntry(row)
            guard users.contains(entry.userId) else { continue }
            outcome.currency = entry.currency
            if try row.get("is_paid", as: Bool.self) {
                outcome.alreadyPaid += entry.amount
                continue
            }
            // `reverses` is UNIQUE: an entry is never taken back twice, whatever runs at once.
            try await session.run("""
                INSERT INTO pay_entries (project_id, user_id, task_id, cause, amount, currency, labels, seconds, reverses, created_at)
                VALUES (\(entry.projectId), \(entry.userId), \(taskId), 'reversal', \(-entry.amount), \(entry.currency), 0, 0, \(entry.id), \(time(entry.createdAt)))
                """)
            outcome.reversed += entry.amount
            outcome.reversedEntries += 1
        }
    }
}
