import Foundation
import GRDB
import SwathGeo

/// The pay ledger: entries written inside the transaction that accepts the
/// work (amounts from `PayRules`), statements summed by the database, payouts.
extension SQLiteStore {
    /// Who handed in an accepted task's work and the server-measured seconds each took: a k = 1 task's submitter
    /// (its assignee: turns left from before k was lowered are not its work), or the submitted turns of a consensus task.
    static func contributors(_ db: Database, task: LabelTask) throws -> [(userId: UserID, seconds: Double)] {
        if task.assigneeId == nil {
            let turns = try db.rows("SELECT user_id, claimed_at, submitted_at FROM assignments WHERE task_id = ? AND status = 'submitted' ORDER BY id",
                                    arguments: [task.id])
            return turns.map { row in
                (row["user_id"], QueueRules.secondsOnTask(claimedAt: date(row["claimed_at"] as Double?),
                                                          submittedAt: date(row["submitted_at"] as Double?) ?? .distantPast))
            }
        }
        guard let assignee = task.assigneeId,
              let row = try db.row("SELECT claimed_at, submitted_at FROM tasks WHERE id = ?", arguments: [task.id]) else { return [] }
        let submitted = date(row["submitted_at"] as Double?)
        return [(assignee, submitted.map { QueueRules.secondsOnTask(claimedAt: date(row["claimed_at"] as Double?), submittedAt: $0) } ?? 0)]
    }

    /// The pay a task's acceptance earns, in the accepting transaction; nothing when the project sets no rates.
    static func recordEarnings(_ db: Database, task: LabelTask, at: Date) throws {
        guard let text = try db.value(String.self, "SELECT settings FROM projects WHERE id = ?", arguments: [task.projectId]) else { return }
        let settings = try decode(ProjectSettings.self, text)
        guard let rates = settings.pay else { return }
        let labels = try db.value(Int.self, "SELECT COUNT(*) FROM labels WHERE task_id = ? AND superseded_at IS NULL AND private_to IS NULL",
                                  arguments: [task.id]) ?? 0
        for contributor in try contributors(db, task: task) {
            let recent = try db.values(Double.self, """
                SELECT g.f1 FROM gold_results g JOIN tasks t ON t.id = g.task_id
                WHERE g.project_id = ? AND g.user_id = ? AND t.qualification = 0 ORDER BY g.id DESC LIMIT ?
                """, arguments: [task.projectId, contributor.userId, settings.goldWindow])
            let goldF1 = PayRules.rollingGoldF1(recent: recent, minimum: settings.goldMinimum)
            for (cause, amount) in PayRules.earnings(rates: rates, labels: labels, seconds: contributor.seconds, goldF1: goldF1) {
                let base = cause == .acceptance
                try db.run("""
                    INSERT INTO pay_entries (project_id, user_id, task_id, cause, amount, currency, labels, seconds, created_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """, arguments: [task.projectId, contributor.userId, task.id, cause.rawValue, amount, rates.currency,
                                     base ? labels : 0, base ? contributor.seconds : 0, time(at)])
            }
        }
    }

    public func ledgerCurrency(projectId: ProjectID) async throws -> String? {
        try await pool.read { db in
            try db.value(String.self, "SELECT currency FROM pay_entries WHERE project_id = ? LIMIT 1", arguments: [projectId])
        }
    }

    public func payEntries(projectId: ProjectID, userId: UserID) async throws -> [PayEntry] {
        try await pool.read { db in
            try db.rows("SELECT * FROM pay_entries WHERE project_id = ? AND user_id = ? ORDER BY id", arguments: [projectId, userId])
                .map(Self.payEntry)
        }
    }

    /// An entry is paid when a closed payout of its project covers its date.
    static let isPaid = "EXISTS (SELECT 1 FROM payouts p WHERE p.project_id = e.project_id AND e.created_at >= p.from_at AND e.created_at < p.to_at)"
    static let sumsByCause = """
        SUM(CASE WHEN e.cause = 'acceptance' THEN e.amount ELSE 0 END) AS acceptance,
        SUM(CASE WHEN e.cause = 'bonus' THEN e.amount ELSE 0 END) AS bonus,
        SUM(CASE WHEN e.cause = 'reversal' THEN e.amount ELSE 0 END) AS reversal,
        SUM(CASE WHEN \(isPaid) THEN e.amount ELSE 0 END) AS paid,
        SUM(CASE WHEN e.cause = 'acceptance' THEN 1 ELSE 0 END) AS tasks
        """

    public func payTotals(projectId: ProjectID, from: Date, to: Date) async throws -> [PayTotal] {
        try await pool.read { db in
            try db.rows("""
                SELECT e.user_id, e.currency, \(Self.sumsByCause), SUM(e.labels) AS labels, SUM(e.seconds) AS seconds
                FROM pay_entries e WHERE e.project_id = ? AND e.created_at >= ? AND e.created_at < ?
                GROUP BY e.user_id, e.currency ORDER BY e.user_id
                """, arguments: [projectId, Self.time(from), Self.time(to)]).map { row in
                PayTotal(userId: row["user_id"], currency: row["currency"], acceptance: row["acceptance"], bonus: row["bonus"],
                         reversal: row["reversal"], paid: row["paid"], tasks: row["tasks"], labels: row["labels"], seconds: row["seconds"])
            }
        }
    }

    public func earnings(userId: UserID, from: Date, to: Date) async throws -> [EarningsDay] {
        try await pool.read { db in
            try db.rows("""
                SELECT CAST(e.created_at / 86400 AS INTEGER) AS day, e.project_id, e.currency, \(Self.sumsByCause)
                FROM pay_entries e WHERE e.user_id = ? AND e.created_at >= ? AND e.created_at < ?
                GROUP BY day, e.project_id, e.currency ORDER BY day, e.project_id
                """, arguments: [userId, Self.time(from), Self.time(to)]).map { row in
                EarningsDay(day: UTCDay.string(Date(timeIntervalSince1970: Double(row["day"] as Int64) * 86400)), projectId: row["project_id"],
                            currency: row["currency"], acceptance: row["acceptance"], bonus: row["bonus"], reversal: row["reversal"],
                            paid: row["paid"], tasks: row["tasks"])
            }
        }
    }

    public func createPayout(projectId: ProjectID, from: Date, to: Date, actor: UserID?, at: Date) async throws -> Payout {
        try await write { db in
            let overlapping = try db.row("SELECT from_at, to_at FROM payouts WHERE project_id = ? AND from_at < ? AND to_at > ? LIMIT 1",
                                         arguments: [projectId, Self.time(to), Self.time(from)])
            try PayRules.checkPayout(from: Self.time(from), to: Self.time(to), now: Self.time(at),
                                     overlapping: overlapping.map { ($0["from_at"], $0["to_at"]) })
            let sums = try db.row("SELECT COALESCE(SUM(amount), 0) AS total, COUNT(*) AS entries FROM pay_entries WHERE project_id = ? "
                                  + "AND created_at >= ? AND created_at < ?", arguments: [projectId, Self.time(from), Self.time(to)])
            let total: Int = sums?["total"] ?? 0
            let entries: Int = sums?["entries"] ?? 0
            try db.run("""
                INSERT INTO payouts (project_id, from_at, to_at, total, entries, closed_at, closed_by) VALUES (?, ?, ?, ?, ?, ?, ?)
                """, arguments: [projectId, Self.time(from), Self.time(to), total, entries, Self.time(at), actor])
            let payout = Payout(id: db.lastInsertedRowID, projectId: projectId, from: from, to: to, total: total, entries: entries,
                                closedAt: at, closedBy: actor)
            try Self.audit(db, projectId: projectId, actor: actor, action: "payout.closed", entity: "payout", entityId: payout.id,
                           after: .object(["from": .string(UTCDay.string(from)), "to": .string(UTCDay.string(to)),
                                           "total": .number(Double(total)), "entries": .number(Double(entries))]), at: at)
            return payout
        }
    }

    public func payouts(projectId: ProjectID) async throws -> [Payout] {
        try await pool.read { db in
            try db.rows("SELECT * FROM payouts WHERE project_id = ? ORDER BY from_at", arguments: [projectId]).map { row in
                Payout(id: row["id"], projectId: row["project_id"], from: Self.date(row["from_at"] as Double), to: Self.date(row["to_at"] as Double),
                       total: row["total"], entries: row["entries"], closedAt: Self.date(row["closed_at"] as Double), closedBy: row["closed_by"])
            }
        }
    }

    static func payEntry(_ row: Row) -> PayEntry {
        PayEntry(id: row["id"], projectId: row["project_id"], userId: row["user_id"], taskId: row["task_id"],
                 cause: PayCause(rawValue: row["cause"]) ?? .acceptance, amount: row["amount"], currency: row["currency"],
                 labels: row["labels"], seconds: row["seconds"], reverses: row["reverses"], createdAt: date(row["created_at"] as Double))
    }
}
