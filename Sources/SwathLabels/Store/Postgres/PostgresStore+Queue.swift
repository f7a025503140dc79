import SwathGeo
import Foundation
import PostgresNIO

extension PostgresStore {
    public func claimTask(projectId: ProjectID, userId: UserID, policy: ClaimPolicy, skipping: Set<TaskID>,
                          at: Date) async throws -> LabelTask? {
        let plan = ClaimPlan(policy: policy, draw: random.unit())
        let pick = random.pick
        return try await write { session -> LabelTask? in
            // One claim at a time per annotator, whichever server it reaches: nobody ends up holding two tasks.
            // The lock is a statement of its own: the next ones take their snapshots after it is granted,
            // so they see a claim this annotator committed while this one waited.
            try await session.run("SELECT pg_advisory_xact_lock(\(userId))")
            try await Self.expireLeasesAndTurns(session, projectId: projectId, at: at)
            // The caller's standing in one round trip; the rows behind it are read only when there is one.
            guard let standing = try await session.row("""
                SELECT EXISTS (SELECT 1 FROM pauses WHERE project_id = \(projectId) AND user_id = \(userId) AND reinstated_at IS NULL) AS paused,
                    (SELECT id FROM tasks WHERE assignee_id = \(userId) AND project_id = \(projectId) AND status = 'in_progress'
                     LIMIT 1) AS held_task,
                    EXISTS (SELECT 1 FROM assignments WHERE user_id = \(userId) AND project_id = \(projectId) AND status = 'in_progress')
                        AS holds_turn
                """) else { throw StoreFailure("the claim's standing query returned no row") }
            if try standing.get("paused", as: Bool.self) {
                throw LabelingError.forbidden("you are paused from claiming tasks in this project until a manager reinstates you")
            }
            // An applicant gets their qualification task back or a new one, never real work (not even a task
            // they held before qualification was required), and cannot pass tests over.
            if policy.qualificationOnly {
                if try standing.get("holds_turn", as: Bool.self),
                   let held = try await Self.heldAssignment(session, projectId: projectId, userId: userId),
                   try await session.value(Bool.self, "SELECT qualification FROM tasks WHERE id = \(held.id)") == true {
                    return held
                }
                guard let test = try await Self.goldTaskFor(session, projectId: projectId, userId: userId, qualification: true,
                                                            skipping: [], pick: pick) else { return nil }
                return try await Self.startAssignment(session, task: test, userId: userId, leaseSeconds: policy.leaseSeconds, at: at)
            }
            if let heldId = try standing.get("held_task", as: Int64?.self),
               let held = try await session.row("SELECT * FROM tasks WHERE id = \(heldId)") {
                return try Self.task(held)
            }
            if try standing.get("holds_turn", as: Bool.self),
               let held = try await Self.heldAssignment(session, projectId: projectId, userId: userId) { return held }
            if let turn = try await Self.claimAssignment(session, projectId: projectId, userId: userId, plan: plan, policy: policy,
                                                         skipping: skipping, pick: pick, at: at) {
                return turn
            }
            guard plan.trySingle,
                  let before = try await Self.lockRandomOpenTask(session, projectId: projectId, userId: userId, order: policy.order,
                                                                  skipping: skipping, pick: pick)
            else { return nil }
            let expires = at.addingTimeInterval(Double(policy.leaseSeconds))
            var after = before
            after.status = .inProgress
            after.assigneeId = userId
            after.leaseExpiresAt = expires
            after.updatedAt = at
            // The claim, its audit event and the version bump in one round trip (as `audit` does them, with the change first).
            let (beforeText, afterText) = (try SQLiteStore.json(QueueRules.snapshot(before)), try SQLiteStore.json(QueueRules.snapshot(after)))
            try await session.run("""
                WITH claimed AS (
                    UPDATE tasks SET status = 'in_progress', assignee_id = \(userId), lease_expires_at = \(Self.time(expires)),
                        updated_at = \(Self.time(at)), claimed_at = \(Self.time(at))
                    WHERE id = \(before.id)),
                event AS (
                    INSERT INTO audit_events (project_id, actor_id, action, entity, entity_id, before, after, at)
                    VALUES (\(projectId), \(userId), 'task.claimed', 'task', \(before.id), \(beforeText), \(afterText), \(Self.time(at))))
                INSERT INTO project_versions (project_id, shard, bumps) VALUES (\(projectId), \(unescaped: Self.versionShard), 1)
                ON CONFLICT (project_id, shard) DO UPDATE SET bumps = project_versions.bumps + 1
                """)
            return after
        }
    }

    /// An open k = 1 task first in the queue's order (highest priority or uncertainty), locked for this
    /// claim: from a random id on (wrapping), so nobody picks their favourite tile. Tasks other claims
    /// are taking right now are skipped, never waited for, and so are those a remediation keeps this annotator off.
    static func lockRandomOpenTask(_ session: PostgresSession, projectId: ProjectID, userId: UserID, order: QueueOrder, skipping: Set<TaskID>,
                                   pick: (ClosedRange<Int64>) -> Int64) async throws -> LabelTask? {
        let rank = order.column
        // Each bound is an index probe (`tasks_queue`, `tasks_uncertainty_queue`: ORDER BY … LIMIT 1): written as MAX/MIN, a table
        // without statistics yet (a scene just registered) got a plan that read every open task, 200 ms a claim.
        let bounds = try await session.row("""
            WITH top AS (
                SELECT \(unescaped: rank) AS rank FROM tasks WHERE project_id = \(projectId) AND status = 'open' AND NOT gold
                ORDER BY \(unescaped: rank) DESC LIMIT 1)
            SELECT top.rank,
                (SELECT id FROM tasks WHERE project_id = \(projectId) AND status = 'open' AND NOT gold AND \(unescaped: rank) = top.rank
                 ORDER BY id LIMIT 1) AS low,
                (SELECT id FROM tasks WHERE project_id = \(projectId) AND status = 'open' AND NOT gold AND \(unescaped: rank) = top.rank
                 ORDER BY id DESC LIMIT 1) AS high
            FROM top
            """)
        guard let bounds, let top = try bounds.get("rank", as: Int64?.self),
              let low = try bounds.get("low", as: Int64?.self), let high = try bounds.get("high", as: Int64?.self) else { return nil }
        let skipped = Array(skipping)
        // Tasks a remediation keeps this annotator off are few: left to the picks below (the bounds stay index probes),
        // so the draw stays nearly uniform.
        let from = pick(low...high)
        for start in [from, low] {
            if let row = try await session.row("""
                SELECT * FROM tasks WHERE project_id = \(projectId) AND status = 'open' AND NOT gold AND \(unescaped: rank) = \(top)
                    AND id >= \(start) AND id <> ALL(\(skipped)) AND NOT EXISTS (
                        SELECT 1 FROM task_exclusions x WHERE x.task_id = tasks.id AND x.user_id = \(userId))
                ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED
                """) {
                return try task(row)
            }
        }
        // Everything of the top rank was skipped, excluded or is being claimed: look at the rest.
        return try await session.row("""
            SELECT * FROM tasks WHERE project_id = \(projectId) AND status = 'open' AND NOT gold AND \(unescaped: rank) <= \(top)
                AND id <> ALL(\(skipped)) AND NOT EXISTS (SELECT 1 FROM task_exclusions x WHERE x.task_id = tasks.id AND x.user_id = \(userId))
            ORDER BY \(unescaped: rank) DESC, id LIMIT 1 FOR UPDATE SKIP LOCKED
            """).map(task)
    }

    /// Leases that ran out go back to the queue, and turns that ran out end,
    /// each with an audit event; both in one statement (every claim runs it).
    /// A task or turn another transaction holds is left for the next claim.
    static func expireLeasesAndTurns(_ session: PostgresSession, projectId: ProjectID, at: Date) async throws {
        let expired = try await session.rows("""
            WITH leases AS (
                SELECT id, assignee_id, lease_expires_at FROM tasks
                WHERE project_id = \(projectId) AND status = 'in_progress' AND lease_expires_at <= \(time(at))
                ORDER BY id FOR UPDATE SKIP LOCKED),
            released AS (
                UPDATE tasks SET status = 'open', assignee_id = NULL, lease_expires_at = NULL, updated_at = \(time(at))
                FROM leases WHERE tasks.id = leases.id
                RETURNING leases.id, leases.assignee_id, leases.lease_expires_at),
            turns AS (
                SELECT id FROM assignments
                WHERE project_id = \(projectId) AND status = 'in_progress' AND lease_expires_at <= \(time(at))
                ORDER BY id FOR UPDATE SKIP LOCKED),
            ended AS (
                UPDATE assignments SET status = 'expired', lease_expires_at = NULL FROM turns WHERE assignments.id = turns.id
                RETURNING assignments.task_id, assignments.user_id)
            SELECT 'lease' AS kind, id AS task_id, assignee_id AS user_id, lease_expires_at FROM released
            UNION ALL
            SELECT 'turn', task_id, user_id, NULL::double precision FROM ended
            """)
        for row in expired {
            let userId = try row.get("user_id", as: Int64?.self).map { JSONValue.number(Double($0)) } ?? .null
            let (before, after): (JSONValue, JSONValue)
            if try row.get("kind", as: String.self) == "lease" {
                before = .object([
                    "status": .string(TaskStatus.inProgress.rawValue),
                    "assigneeId": userId,
                    "leaseExpiresAt": try row.get("lease_expires_at", as: Double?.self).map { .number($0) } ?? .null,
                ])
                after = .object(["status": .string(TaskStatus.open.rawValue), "assigneeId": .null, "leaseExpiresAt": .null])
            } else {
                (before, after) = (.object(["assigneeId": userId]), .object(["assigneeId": .null]))
            }
            try await audit(session, projectId: projectId, actor: nil, action: "task.lease_expired", entity: "task",
                            entityId: try row.get("task_id"), before: before, after: after, at: at)
        }
    }

    /// The caller's live lease, with the task row locked until the transaction ends
    /// (expiry, review or another server's claim of it wait for this change).
    /// One round trip: the task, locked, with the caller's live turn on it (the hot path of every save).
    static func lease(_ session: PostgresSession, taskId: TaskID, userId: UserID, at: Date) async throws -> HeldLease {
        guard let row = try await session.row("""
            SELECT t.*, a.id AS turn_id, a.lease_expires_at AS turn_lease_expires_at, a.claimed_at AS turn_claimed_at,
                a.saved_at AS turn_saved_at
            FROM tasks t LEFT JOIN LATERAL (
                SELECT * FROM assignments WHERE task_id = t.id AND user_id = \(userId) AND status = 'in_progress' ORDER BY id DESC LIMIT 1
            ) a ON true
            WHERE t.id = \(taskId) FOR UPDATE OF t
            """) else {
            throw LabelingError.notFound("task \(taskId) does not exist")
        }
        let task = try task(row)
        let turn = try row.get("turn_id", as: Int64?.self).map { id in
            Assignment(id: id, projectId: task.projectId, taskId: taskId, userId: userId, status: .inProgress,
                       leaseExpiresAt: date(try row.get("turn_lease_expires_at", as: Double?.self)),
                       claimedAt: date(try row.get("turn_claimed_at", as: Double.self)),
                       savedAt: date(try row.get("turn_saved_at", as: Double?.self)))
        }
        return try QueueRules.lease(task: task, liveTurn: turn, userId: userId, at: at)
    }

    public func renewLease(taskId: TaskID, userId: UserID, leaseSeconds: Int, at: Date) async throws -> LabelTask {
        try await write { session in
            let lease = try await Self.lease(session, taskId: taskId, userId: userId, at: at)
            let expires = at.addingTimeInterval(Double(leaseSeconds))
            if var turn = lease.turn {
                try await session.run("UPDATE assignments SET lease_expires_at = \(Self.time(expires)) WHERE id = \(turn.id)")
                turn.leaseExpiresAt = expires
                return turn.view(of: lease.task)
            }
            var task = lease.task
            try await session.run("""
                UPDATE tasks SET lease_expires_at = \(Self.time(expires)), updated_at = \(Self.time(at)) WHERE id = \(taskId)
                """)
            task.leaseExpiresAt = expires
            task.updatedAt = at
            return task
        }
    }

    public func submit(taskId: TaskID, userId: UserID, at: Date) async throws -> LabelTask {
        try await endLease(taskId: taskId, userId: userId, at: at, status: .submitted, action: "task.submitted")
    }

    public func release(taskId: TaskID, userId: UserID, at: Date) async throws -> LabelTask {
        try await endLease(taskId: taskId, userId: userId, at: at, status: .open, action: "task.released")
    }

    /// The lease holder ends the lease: submitted (the assignee kept as the
    /// submitter, the submission queued for its checks) or back to the queue.
    private func endLease(taskId: TaskID, userId: UserID, at: Date, status: TaskStatus, action: String) async throws -> LabelTask {
        try await write { session in
            let lease = try await Self.lease(session, taskId: taskId, userId: userId, at: at)
            if let turn = lease.turn {
                return try await Self.endAssignment(session, turn, task: lease.task, status: status == .open ? .released : .submitted,
                                                    action: action, at: at)
            }
            let before = lease.task
            let submitted = status == .submitted
            if submitted {
                let claimed = try await session.value(Double.self, "SELECT claimed_at FROM tasks WHERE id = \(taskId)").map(Self.date)
                try await Self.queueSubmission(session, taskId: taskId, userId: userId, claimedAt: claimed, at: at)
            }
            // A submission also records when it was handed in (pay and throughput count from it).
            try await session.run("""
                UPDATE tasks SET status = \(status.rawValue), assignee_id = CASE WHEN \(submitted) THEN assignee_id END,
                    lease_expires_at = NULL, updated_at = \(Self.time(at)),
                    submitted_at = CASE WHEN \(submitted) THEN \(Self.time(at)) ELSE submitted_at END
                WHERE id = \(taskId)
                """)
            var after = before
            after.status = status
            if !submitted { after.assigneeId = nil }
            after.leaseExpiresAt = nil
            after.updatedAt = at
            try await Self.audit(session, projectId: before.projectId, actor: userId, action: action, entity: "task", entityId: taskId,
                                 before: QueueRules.snapshot(before), after: QueueRules.snapshot(after), at: at)
            return after
        }
    }

    public func review(taskId: TaskID, reviewerId: UserID, decision: ReviewDecision, comment: String?, at: Date) async throws -> LabelTask {
        try await write { session in
            guard let row = try await session.row("SELECT * FROM tasks WHERE id = \(taskId) FOR UPDATE") else {
                throw LabelingError.notFound("task \(taskId) does not exist")
            }
            let before = try Self.task(row)
            let annotators = try await session.values(Int64.self, """
                SELECT user_id FROM assignments WHERE task_id = \(taskId) AND status = 'submitted'
                """)
            try QueueRules.checkReviewable(before, reviewerId: reviewerId, submitters: annotators)
            var after = before
            after.updatedAt = at
            if decision == .accept {
                after.status = .accepted
                try await session.run("UPDATE tasks SET status = 'accepted', updated_at = \(Self.time(at)) WHERE id = \(taskId)")
                try await Self.recordEarnings(session, task: after, at: at)
            } else {
                // Rejected work goes back to the queue; its labels and this review stay as history.
                after.status = .open
                after.assigneeId = nil
                try await session.run("""
                    UPDATE tasks SET status = 'open', assignee_id = NULL, agreement = NULL, updated_at = \(Self.time(at)) WHERE id = \(taskId)
                    """)
                if !annotators.isEmpty { try await Self.reopenConsensus(session, taskId: taskId, at: at) }
            }
            // Whose work it was (a k = 1 task's submitter; consensus turns keep their own rows): rework by annotator.
            let submitter = annotators.isEmpty ? before.assigneeId : nil
            try await session.run("""
                INSERT INTO reviews (task_id, reviewer_id, decision, comment, created_at, submitter_id)
                VALUES (\(taskId), \(reviewerId), \(decision.rawValue), \(comment), \(Self.time(at)), \(submitter))
                """)
            var afterSnapshot = QueueRules.snapshot(after)
            if case .object(var fields) = afterSnapshot {
                fields["decision"] = .string(decision.rawValue)
                fields["comment"] = comment.map(JSONValue.string) ?? .null
                afterSnapshot = .object(fields)
            }
            try await Self.audit(session, projectId: before.projectId, actor: reviewerId, action: "task.reviewed", entity: "task",
                                 entityId: taskId, before: QueueRules.snapshot(before), after: afterSnapshot, at: at)
            return after
        }
    }

    public func reviews(taskId: TaskID) async throws -> [Review] {
        try await read { session in try await session.rows("SELECT * FROM reviews WHERE task_id = \(taskId) ORDER BY id").map(Self.review) }
    }
}
