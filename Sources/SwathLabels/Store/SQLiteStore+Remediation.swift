import Foundation
import GRDB
import SwathGeo

/// Accepted work, and remediation: the accepted work of a selection reopened
/// for fresh annotators, its old labels kept as history, its unpaid pay reversed.
extension SQLiteStore {
    public func acceptedWork(projectId: ProjectID) async throws -> [AcceptedWork] {
        try await pool.read { db in
            let labels = "(SELECT COUNT(*) FROM labels l WHERE l.task_id = t.id AND l.superseded_at IS NULL AND l.private_to IS NULL)"
            return try db.rows("""
                SELECT t.id AS task_id, t.assignee_id AS user_id, COALESCE(t.submitted_at, t.updated_at) AS submitted_at, \(labels) AS labels
                FROM tasks t WHERE t.project_id = ? AND t.status = 'accepted' AND t.gold = 0 AND t.assignee_id IS NOT NULL
                UNION ALL
                SELECT a.task_id, a.user_id, COALESCE(a.submitted_at, t.updated_at), \(labels)
                FROM assignments a JOIN tasks t ON t.id = a.task_id
                WHERE t.project_id = ? AND t.status = 'accepted' AND t.gold = 0 AND t.assignee_id IS NULL AND a.status = 'submitted'
                ORDER BY 1, 2
                """, arguments: [projectId, projectId]).map { row in
                AcceptedWork(taskId: row[0], userId: row[1], submittedAt: Self.date(row[2] as Double), labels: row[3])
            }
        }
    }

    public func remediate(projectId: ProjectID, work: [TaskID: Set<UserID>], actor: UserID?, at: Date) async throws -> RemediationOutcome {
        try await write { db in
            var outcome = RemediationOutcome(id: 0, projectId: projectId, tasks: work.keys.sorted(), labels: 0, annotators: [], excluded: [],
                                             reversed: 0, reversedEntries: 0, alreadyPaid: 0, currency: nil, createdAt: at)
            var annotators = Set<UserID>(), excluded = Set<UserID>()
            for taskId in outcome.tasks {
                guard let task = try db.row("SELECT * FROM tasks WHERE id = ?", arguments: [taskId]).map(Self.task), task.projectId == projectId,
                      task.status == .accepted else {
                    throw LabelingError.conflict("task \(taskId) is no longer accepted work of this project; nothing was changed, try again")
                }
                let contributors = try Self.contributors(db, task: task).map(\.userId)
                let matched = Set(contributors).intersection(work[taskId] ?? [])
                annotators.formUnion(matched)
                excluded.formUnion(contributors)
                try db.run("UPDATE labels SET superseded_at = ? WHERE task_id = ? AND superseded_at IS NULL", arguments: [Self.time(at), taskId])
                outcome.labels += db.changesCount
                try db.run("UPDATE assignments SET status = 'remediated' WHERE task_id = ? AND status = 'submitted'", arguments: [taskId])
                try db.run("""
                    UPDATE tasks SET status = 'open', assignee_id = NULL, agreement = NULL, lease_expires_at = NULL, updated_at = ? WHERE id = ?
                    """, arguments: [Self.time(at), taskId])
                try db.run("DELETE FROM pair_agreements WHERE task_id = ?", arguments: [taskId])
                for userId in contributors {
                    try db.run("INSERT OR IGNORE INTO task_exclusions (task_id, user_id) VALUES (?, ?)", arguments: [taskId, userId])
                }
                try Self.reverseUnpaid(db, taskId: taskId, users: matched, into: &outcome)
                var after = task
                after.status = .open
                after.assigneeId = nil
                try Self.audit(db, projectId: projectId, actor: actor, action: "task.remediated", entity: "task", entityId: taskId,
                               before: Self.snapshot(task), after: Self.snapshot(after), at: at)
            }
            outcome.annotators = annotators.sorted()
            outcome.excluded = excluded.sorted()
            try db.run("INSERT INTO remediations (project_id, outcome, created_by, created_at) VALUES (?, ?, ?, ?)",
                       arguments: [projectId, try Self.json(outcome), actor, Self.time(at)])
            outcome.id = db.lastInsertedRowID
            try Self.audit(db, projectId: projectId, actor: actor, action: "remediation.created", entity: "remediation", entityId: outcome.id,
                           after: JSONValue(parsing: try Self.json(outcome)), at: at)
            return outcome
        }
    }

    /// Reverses `users`' acceptances and bonuses on a task not yet reversed, each dated as the entry it takes back (an unpaid
    /// entry lies in an open period, so the payout of that period nets it); those inside a closed payout are counted, not touched.
    private static func reverseUnpaid(_ db: Database, taskId: TaskID, users: Set<UserID>, into outcome: inout RemediationOutcome) throws {
        let entries = try db.rows("""
            SELECT e.*, \(isPaid) AS is_paid FROM pay_entries e
            WHERE e.task_id = ? AND e.cause IN ('acceptance', 'bonus') AND NOT EXISTS (SELECT 1 FROM pay_entries r WHERE r.reverses = e.id)
            ORDER BY e.id
            """, arguments: [taskId])
        for row in entries {
            let entry = payEntry(row)
            guard users.contains(entry.userId) else { continue }
            outcome.currency = entry.currency
            if row["is_paid"] as Bool {
                outcome.alreadyPaid += entry.amount
                continue
            }
            try db.run("""
                INSERT INTO pay_entries (project_id, user_id, task_id, cause, amount, currency, labels, seconds, reverses, created_at)
                VALUES (?, ?, ?, 'reversal', ?, ?, 0, 0, ?, ?)
                """, arguments: [entry.projectId, entry.userId, taskId, -entry.amount, entry.currency, entry.id, time(entry.createdAt)])
            outcome.reversed += entry.amount
            outcome.reversedEntries += 1
        }
    }
}
