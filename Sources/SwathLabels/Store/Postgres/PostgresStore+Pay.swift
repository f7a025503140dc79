import Foundation
import PostgresNIO
import SwathGeo

/// The pay ledger: entries written inside the transaction that accepts the
/// work (amounts from `PayRules`), statements summed by the database, payouts
/// (see the SQLite store's twin; `schemaV8` for how closing a period and
/// entering pay are kept apart under concurrency).
extension PostgresStore {
    /// Who handed in an accepted task's work and the server-measured seconds each took: a k = 1 task's submitter
    /// (its assignee: turns left from before k was lowered are not its work), or the submitted turns of a consensus task.
    static func contributors(_ session: PostgresSession, task: LabelTask) async throws -> [(userId: UserID, seconds: Double)] {
        if task.assigneeId == nil {
            return try await turns(session, taskId: task.id)
        }
        guard let assignee = task.assigneeId,
              let row = try await session.row("SELECT claimed_at, submitted_at FROM tasks WHERE id = \(task.id)") else { return [] }
        let claimed = date(try row.get("claimed_at", as: Double?.self))
        let submitted = date(try row.get("submitted_at", as: Double?.self))
        return [(userId: assignee, seconds: submitted.map { QueueRules.secondsOnTask(claimedAt: claimed, submittedAt: $0) } ?? 0)]
    }

    private static func turns(_ session: PostgresSession, taskId: TaskID) async throws -> [(userId: UserID, seconds: Double)] {
        let turns = try await session.rows("""
            SELECT user_id, claimed_at, submitted_at FROM assignments WHERE task_id = \(taskId) AND status = 'submitted' ORDER BY id
            """)
        return try turns.map { row in
            (userId: try row.get("user_id", as: UserID.self),
             seconds: QueueRules.secondsOnTask(claimedAt: date(try row.get("claimed_at", as: Double?.self)),
                                               submittedAt: date(try row.get("submitted_at", as: Double?.self)) ?? .distantPast))
        }
    }

    /// The pay a task's acceptance earns, in the accepting transaction; nothing when the project sets no rates.
    static func recordEarnings(_ session: PostgresSession, task: LabelTask, at: Date) async throws {
        guard let text = try await session.value(String.self, "SELECT settings FROM projects WHERE id = \(task.projectId)") else { return }
        let settings = try SQLiteStore.decode(ProjectSettings.self, text)
        guard let rates = settings.pay else { return }
        let labels = try await session.value(Int.self, """
            SELECT COUNT(*) FROM labels WHERE task_id = \(task.id) AND superseded_at IS NULL AND private_to IS NULL
            """) ?? 0
        var users: [Int64] = [], causes: [String] = [], amounts: [Int64] = [], counted: [Int64] = [], seconds: [Double] = []
        for contributor in try await contributors(session, task: task) {
            let recent = try await session.values(Double.self, """
                SELECT g.f1 FROM gold_results g JOIN tasks t ON t.id = g.task_id
                WHERE g.project_id = \(task.projectId) AND g.user_id = \(contributor.userId) AND NOT t.qualification
                ORDER BY g.id DESC LIMIT \(settings.goldWindow)
                """)
            let goldF1 = PayRules.rollingGoldF1(recent: recent, minimum: settings.goldMinimum)
            for (cause, amount) in PayRules.earnings(rates: rates, labels: labels, seconds: contributor.seconds, goldF1: goldF1) {
                let base = cause == .acceptance
                users.append(contributor.userId)
                causes.append(cause.rawValue)
                amounts.append(Int64(amount))
                counted.append(Int64(base ? labels : 0))
                seconds.append(base ? contributor.seconds : 0)
            }
        }
        guard !users.isEmpty else { return }
        // Every entry in one statement, in the order SQLite writes them (ids follow it: statements list by id).
        try await session.run("""
            INSERT INTO pay_entries (project_id, user_id, task_id, cause, amount, currency, labels, seconds, created_at)
            SELECT \(task.projectId), e.user_id, \(task.id), e.cause, e.amount, \(rates.currency), e.labels, e.seconds, \(time(at))
            FROM unnest(\(users), \(causes), \(amounts), \(counted), \(seconds)) WITH ORDINALITY AS e(user_id, cause, amount, labels, seconds, n)
            ORDER BY e.n
            """)
    }

    public func ledgerCurrency(projectId: ProjectID) async throws -> String? {
        try await read { session in
            try await session.value(String.self, "SELECT currency FROM pay_entries WHERE project_id = \(projectId) ORDER BY id LIMIT 1")
        }
    }

    public func payEntries(projectId: ProjectID, userId: UserID) async throws -> [PayEntry] {
        try await read { session in
            try await session.rows("SELECT * FROM pay_entries WHERE project_id = \(projectId) AND user_id = \(userId) ORDER BY id")
                .map(Self.payEntry)
        }
    }

    /// An entry is paid when a closed payout of its project covers its date.
    static let isPaid = "EXISTS (SELECT 1 FROM payouts p WHERE p.project_id = e.project_id AND e.created_at >= p.from_at AND e.created_at < p.to_at)"
    /// PostgreSQL sums BIGINTs as NUMERIC: cast back, the rates keep every sum far from overflow (`PayRates.maximumRate`).
    static let sumsByCause = """
        SUM(CASE WHEN e.cause = 'acceptance' THEN e.amount ELSE 0 END)::bigint AS acceptance,
        SUM(CASE WHEN e.cause = 'bonus' THEN e.amount ELSE 0 END)::bigint AS bonus,
        SUM(CASE WHEN e.cause = 'reversal' THEN e.amount ELSE 0 END)::bigint AS reversal,
        SUM(CASE WHEN \(isPaid) THEN e.amount ELSE 0 END)::bigint AS paid,
        SUM(CASE WHEN e.cause = 'acceptance' THEN 1 ELSE 0 END)::bigint AS tasks
        """

    public func payTotals(projectId: ProjectID, from: Date, to: Date) async throws -> [PayTotal] {
        try await read { session in
            try await session.rows("""
                SELECT e.user_id, e.currency, \(unescaped: Self.sumsByCause), SUM(e.labels)::bigint AS labels, SUM(e.seconds) AS seconds
                FROM pay_entries e WHERE e.project_id = \(projectId) AND e.created_at >= \(Self.time(from)) AND e.created_at < \(Self.time(to))
                GROUP BY e.user_id, e.currency ORDER BY e.user_id
                """).map { row in
                PayTotal(userId: try row.get("user_id"), currency: try row.get("currency"), acceptance: try row.get("acceptance"),
                         bonus: try row.get("bonus"), reversal: try row.get("reversal"), paid: try row.get("paid"), tasks: try row.get("tasks"),
                         labels: try row.get("labels"), seconds: try row.get("seconds"))
            }
        }
    }

    public func earnings(userId: UserID, from: Date, to: Date) async throws -> [EarningsDay] {
        try await read { session in
            // UTC days: epoch seconds over 86,400, floored (no time zone enters).
            try await session.rows("""
                SELECT floor(e.created_at / 86400)::bigint AS day, e.project_id, e.currency, \(unescaped: Self.sumsByCause)
                FROM pay_entries e WHERE e.user_id = \(userId) AND e.created_at >= \(Self.time(from)) AND e.created_at < \(Self.time(to))
                GROUP BY 1, e.project_id, e.currency ORDER BY 1, e.project_id
                """).map { row in
                EarningsDay(day: UTCDay.string(Date(timeIntervalSince1970: Double(try row.get("day", as: Int64.self)) * 86400)),
                            projectId: try row.get("project_id"), currency: try row.get("currency"), acceptance: try row.get("acceptance"),
                            bonus: try row.get("bonus"), reversal: try row.get("reversal"), paid: try row.get("paid"), tasks: try row.get("tasks"))
            }
        }
    }

    public func createPayout(projectId: ProjectID, from: Date, to: Date, actor: UserID?, at: Date) async throws -> Payout {
        try await write { session in
            // Two closings of one project queue here, and pay being entered (its trigger holds the row FOR SHARE)
            // either commits before the sums below or waits for this payout and is refused: the total is final.
            // Each later statement takes its snapshot after the lock is granted.
            try await session.run("SELECT 1 FROM projects WHERE id = \(projectId) FOR NO KEY UPDATE")
            let overlapping = try await session.row("""
                SELECT from_at, to_at FROM payouts WHERE project_id = \(projectId) AND from_at < \(Self.time(to)) AND to_at > \(Self.time(from))
                ORDER BY from_at LIMIT 1
                """)
            let clash: (from: Double, to: Double)? = try overlapping.map { row in
                (from: try row.get("from_at", as: Double.self), to: try row.get("to_at", as: Double.self))
            }
            try PayRules.checkPayout(from: Self.time(from), to: Self.time(to), now: Self.time(at), overlapping: clash)
            guard let sums = try await session.row("""
                SELECT COALESCE(SUM(amount), 0)::bigint AS total, COUNT(*) AS entries FROM pay_entries
                WHERE project_id = \(projectId) AND created_at >= \(Self.time(from)) AND created_at < \(Self.time(to))
                """) else { throw StoreFailure("the payout's sums returned no row") }
            let total: Int = try sums.get("total")
            let entries: Int = try sums.get("entries")
            guard let id = try await session.value(Int64.self, """
                INSERT INTO payouts (project_id, from_at, to_at, total, entries, closed_at, closed_by)
                VALUES (\(projectId), \(Self.time(from)), \(Self.time(to)), \(total), \(entries), \(Self.time(at)), \(actor)) RETURNING id
                """) else { throw StoreFailure("a new payout got no id") }
            let payout = Payout(id: id, projectId: projectId, from: from, to: to, total: total, entries: entries, closedAt: at, closedBy: actor)
            try await Self.audit(session, projectId: projectId, actor: actor, action: "payout.closed", entity: "payout", entityId: id,
                                 after: .object(["from": .string(UTCDay.string(from)), "to": .string(UTCDay.string(to)),
                                                 "total": .number(Double(total)), "entries": .number(Double(entries))]), at: at)
            return payout
        }
    }

    public func payouts(projectId: ProjectID) async throws -> [Payout] {
        try await read { session in
            try await session.rows("SELECT * FROM payouts WHERE project_id = \(projectId) ORDER BY from_at").map { row in
                Payout(id: try row.get("id"), projectId: try row.get("project_id"), from: Self.date(try row.get("from_at", as: Double.self)),
                       to: Self.date(try row.get("to_at", as: Double.self)), total: try row.get("total"), entries: try row.get("entries"),
                       closedAt: Self.date(try row.get("closed_at", as: Double.self)), closedBy: try row.get("closed_by"))
            }
        }
    }

    static func payEntry(_ row: PostgresRandomAccessRow) throws -> PayEntry {
        PayEntry(id: try row.get("id"), projectId: try row.get("project_id"), userId: try row.get("user_id"), taskId: try row.get("task_id"),
                 cause: PayCause(rawValue: try row.get("cause")) ?? .acceptance, amount: try row.get("amount"),
                 currency: try row.get("currency"), labels: try row.get("labels"), seconds: try row.get("seconds"),
                 reverses: try row.get("reverses"), createdAt: date(try row.get("created_at", as: Double.self)))
    }
}
