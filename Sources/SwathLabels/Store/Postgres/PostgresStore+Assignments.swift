import Foundation
import PostgresNIO

/// The queue for tasks several annotators label on their own: consensus
/// tasks (k > 1) and gold tasks, each turn an `assignments` row with its own lease.
extension PostgresStore {
    static let activeTurn = "('in_progress', 'submitted')"

    /// A gold task this annotator has not done, or a consensus task with room
    /// for one more annotator; nil when neither is left.
    static func claimAssignment(_ session: PostgresSession, projectId: ProjectID, userId: UserID, plan: ClaimPlan, policy: ClaimPolicy,
                                skipping: Set<TaskID>, pick: (ClosedRange<Int64>) -> Int64, at: Date) async throws -> LabelTask? {
        var task: LabelTask?
        if plan.tryGold {
            task = try await goldTaskFor(session, projectId: projectId, userId: userId, qualification: false, skipping: skipping, pick: pick)
        }
        if task == nil, plan.tryConsensus {
            task = try await lockConsensusTask(session, projectId: projectId, userId: userId, labelsPerTask: policy.labelsPerTask,
                                               order: policy.order,
                                               skipping: skipping, pick: pick)
        }
        guard let task else { return nil }
        return try await startAssignment(session, task: task, userId: userId, leaseSeconds: policy.leaseSeconds, at: at)
    }

    /// A gold task of the kind asked for (qualification test or ordinary gold) the annotator has not done.
    static func goldTaskFor(_ session: PostgresSession, projectId: ProjectID, userId: UserID, qualification: Bool, skipping: Set<TaskID>,
                            pick: (ClosedRange<Int64>) -> Int64) async throws -> LabelTask? {
        let ids = try await session.values(Int64.self, """
            SELECT id FROM tasks WHERE project_id = \(projectId) AND gold AND qualification = \(qualification) AND NOT EXISTS (
                SELECT 1 FROM assignments a WHERE a.task_id = tasks.id AND a.user_id = \(userId) AND a.status IN ('in_progress', 'submitted'))
            ORDER BY id
            """).filter { !skipping.contains($0) }
        guard !ids.isEmpty else { return nil }
        let chosen = ids[Int(pick(0...Int64(ids.count - 1)))]
        return try await session.row("SELECT * FROM tasks WHERE id = \(chosen)").map(task)
    }

    /// An open, non-gold task first in the queue's order (priority or uncertainty) with fewer than k active
    /// turns, none of them this annotator's nor kept off them by a remediation, from a random id on. The task row
    /// is locked and the turns counted again under the lock: two servers
    /// cannot both hand out the k-th turn.
    static func lockConsensusTask(_ session: PostgresSession, projectId: ProjectID, userId: UserID, labelsPerTask: Int,
                                  order: QueueOrder, skipping: Set<TaskID>, pick: (ClosedRange<Int64>) -> Int64) async throws -> LabelTask? {
        var passed = skipping
        let rank = order.column
        for _ in 0..<8 {
            // Ids are the store's own integers: written into the statement, they cannot inject anything.
            let skipped = passed.isEmpty ? "" : " AND id NOT IN (" + passed.sorted().map(String.init).joined(separator: ",") + ")"
            let eligible = """
                FROM tasks WHERE project_id = \(projectId) AND status = 'open' AND NOT gold\(skipped)
                    AND (SELECT COUNT(*) FROM assignments a WHERE a.task_id = tasks.id AND a.status IN \(activeTurn)) < \(labelsPerTask)
                    AND NOT EXISTS (SELECT 1 FROM assignments a WHERE a.task_id = tasks.id AND a.user_id = \(userId) AND a.status IN \(activeTurn))
                    AND NOT EXISTS (SELECT 1 FROM task_exclusions x WHERE x.task_id = tasks.id AND x.user_id = \(userId))
                """
            // Each bound walks `tasks_queue` from its end and stops at the first eligible task
            // (as MAX/MIN the eligibility subqueries ran for every open task; see `lockRandomOpenTask`).
            guard let bounds = try await session.row(PostgresQuery(unsafeSQL: """
                WITH top AS (SELECT \(rank) AS rank \(eligible) ORDER BY \(rank) DESC LIMIT 1)
                SELECT top.rank, (SELECT id \(eligible) AND \(rank) = top.rank ORDER BY id LIMIT 1) AS low,
                    (SELECT id \(eligible) AND \(rank) = top.rank ORDER BY id DESC LIMIT 1) AS high FROM top
                """)),
                  let priority = try bounds.get("rank", as: Int64?.self), let low = try bounds.get("low", as: Int64?.self),
                  let high = try bounds.get("high", as: Int64?.self) else { return nil }
            var candidate: Int64?
            for start in [pick(low...high), low] where candidate == nil {
                candidate = try await session.value(Int64.self, PostgresQuery(unsafeSQL: """
                    SELECT id \(eligible) AND \(rank) = \(priority) AND id >= \(start) ORDER BY id LIMIT 1
                    """))
            }
            guard let candidate else { return nil }
            // Waits for a turn being taken or handed in on this task, then counts afresh.
            guard let row = try await session.row("SELECT * FROM tasks WHERE id = \(candidate) FOR UPDATE") else { continue }
            let turns = try await session.values(Int64.self, """
                SELECT user_id FROM assignments WHERE task_id = \(candidate) AND status IN ('in_progress', 'submitted')
                """)
            let task = try Self.task(row)
            if task.status == .open, turns.count < labelsPerTask, !turns.contains(userId) { return task }
            passed.insert(candidate)
        }
        return nil
    }

    static func startAssignment(_ session: PostgresSession, task: LabelTask, userId: UserID, leaseSeconds: Int,
                                at: Date) async throws -> LabelTask {
        let expires = at.addingTimeInterval(Double(leaseSeconds))
        guard let id = try await session.value(Int64.self, """
            INSERT INTO assignments (project_id, task_id, user_id, status, lease_expires_at, claimed_at)
            VALUES (\(task.projectId), \(task.id), \(userId), 'in_progress', \(time(expires)), \(time(at))) RETURNING id
            """) else { throw StoreFailure("a new turn got no id") }
        let turn = Assignment(id: id, projectId: task.projectId, taskId: task.id, userId: userId, status: .inProgress,
                              leaseExpiresAt: expires, claimedAt: at)
        let view = turn.view(of: task)
        try await audit(session, projectId: task.projectId, actor: userId, action: "task.claimed", entity: "task", entityId: task.id,
                        before: QueueRules.snapshot(task), after: QueueRules.snapshot(view), at: at)
        return view
    }

    static func heldAssignment(_ session: PostgresSession, projectId: ProjectID, userId: UserID) async throws -> LabelTask? {
        guard let turn = try await session.row("""
            SELECT * FROM assignments WHERE user_id = \(userId) AND project_id = \(projectId) AND status = 'in_progress' ORDER BY id LIMIT 1
            """).map(assignment),
              let row = try await session.row("SELECT * FROM tasks WHERE id = \(turn.taskId)") else { return nil }
        return turn.view(of: try task(row))
    }

    /// Ends a live turn: submitted (with the pre-labels as their own set when
    /// they never saved), or released back to the queue.
    static func endAssignment(_ session: PostgresSession, _ turn: Assignment, task: LabelTask, status: Assignment.Status, action: String,
                              at: Date) async throws -> LabelTask {
        let submitted = status == .submitted
        if submitted, turn.savedAt == nil {
            for row in try await session.rows("""
                SELECT \(unescaped: labelColumns()) FROM labels WHERE task_id = \(task.id) AND superseded_at IS NULL AND private_to IS NULL
                ORDER BY id
                """) {
                let label = try label(row)
                let draft = LabelDraft(taskId: task.id, classId: label.classId, attributes: label.attributes, geometry: label.geometry,
                                       bboxWGS84: [try row.get("min_lon"), try row.get("min_lat"), try row.get("max_lon"), try row.get("max_lat")],
                                       source: label.source, previousId: label.id, secondsSpent: 0, drawnArea: label.drawnArea)
                _ = try await insert(session, draft, task: task, annotator: turn.userId, privateTo: turn.userId, version: label.version + 1, at: at)
            }
        }
        try await session.run("""
            UPDATE assignments SET status = \(status.rawValue), lease_expires_at = NULL, submitted_at = \(submitted ? time(at) : nil)
            WHERE id = \(turn.id)
            """)
        if submitted { try await queueSubmission(session, taskId: task.id, userId: turn.userId, claimedAt: turn.claimedAt, at: at) }
        var ended = turn
        ended.status = status
        ended.leaseExpiresAt = nil
        if submitted { ended.submittedAt = at }
        let view = ended.view(of: task)
        try await audit(session, projectId: task.projectId, actor: turn.userId, action: action, entity: "task", entityId: task.id,
                        before: QueueRules.snapshot(turn.view(of: task)), after: QueueRules.snapshot(view), at: at)
        return view
    }

    public func assignments(taskId: TaskID) async throws -> [Assignment] {
        try await read { session in
            try await session.rows("SELECT * FROM assignments WHERE task_id = \(taskId) ORDER BY id").map(Self.assignment)
        }
    }
}
