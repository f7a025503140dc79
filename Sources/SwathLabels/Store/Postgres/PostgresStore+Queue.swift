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
            try await session.run("SELECT pg_advisory_xact_lock(\(userId))")
            try await Self.expireLeases(session, projectId: projectId, at: at)
            try await Self.expireAssignments(session, projectId: projectId, at: at)
            if try await session.row("""
                SELECT 1 FROM pauses WHERE project_id = \(projectId) AND user_id = \(userId) AND reinstated_at IS NULL
                """) != nil {
                throw LabelingError.forbidden("you are paused from claiming tasks in this project until a manager reinstates you")
            }
            if let held = try await session.row("""
                SELECT * FROM tasks WHERE assignee_id = \(userId) AND project_id = \(projectId) AND status = 'in_progress' LIMIT 1
                """) {
                return try Self.task(held)
            }
            if let held = try await Self.heldAssignment(session, projectId: projectId, userId: userId) { return held }
            if let turn = try await Self.claimAssignment(session, projectId: projectId, userId: userId, plan: plan, policy: policy,
                                                         skipping: skipping, pick: pick, at: at) {
                return turn
            }
            guard plan.trySingle,
                  let before = try await Self.lockRandomOpenTask(session, projectId: projectId, skipping: skipping, pick: pick)
            else { return nil }
            let expires = at.addingTimeInterval(Double(policy.leaseSeconds))
            try await session.run("""
                UPDATE tasks SET status = 'in_progress', assignee_id = \(userId), lease_expires_at = \(Self.time(expires)),
                    updated_at = \(Self.time(at)), claimed_at = \(Self.time(at))
                WHERE id = \(before.id)
                """)
            var after = before
            after.status = .inProgress
            after.assigneeId = userId
            after.leaseExpiresAt = expires
            after.updatedAt = at
            try await Self.audit(session, projectId: projectId, actor: userId, action: "task.claimed", entity: "task", entityId: before.id,
                                 before: QueueRules.snapshot(before), after: QueueRules.snapshot(after), at: at)
            return after
        }
    }

    /// An open k = 1 task of the highest priority, locked for this claim: from
    /// a random id on (wrapping), so nobody picks their favourite tile. Tasks
    /// other claims are taking right now are skipped, never waited for.
    static func lockRandomOpenTask(_ session: PostgresSession, projectId: ProjectID, skipping: Set<TaskID>,
                                   pick: (ClosedRange<Int64>) -> Int64) async throws -> LabelTask? {
        let open = "project_id = \(projectId) AND status = 'open' AND NOT gold"
        let bounds = try await session.row(PostgresQuery(unsafeSQL: """
            SELECT p.priority, (SELECT MIN(id) FROM tasks WHERE \(open) AND priority = p.priority) AS low,
                (SELECT MAX(id) FROM tasks WHERE \(open) AND priority = p.priority) AS high
            FROM (SELECT MAX(priority) AS priority FROM tasks WHERE \(open)) p
            """))
        guard let bounds, let priority = try bounds.get("priority", as: Int64?.self),
              let low = try bounds.get("low", as: Int64?.self), let high = try bounds.get("high", as: Int64?.self) else { return nil }
        let skipped = Array(skipping)
        let from = pick(low...high)
        for start in [from, low] {
            if let row = try await session.row("""
                SELECT * FROM tasks WHERE project_id = \(projectId) AND status = 'open' AND NOT gold AND priority = \(priority)
                    AND id >= \(start) AND id <> ALL(\(skipped))
                ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED
                """) {
                return try task(row)
            }
        }
        // Everything at the top priority was skipped or is being claimed: look at the rest.
        return try await session.row("""
            SELECT * FROM tasks WHERE project_id = \(projectId) AND status = 'open' AND NOT gold AND priority <= \(priority)
                AND id <> ALL(\(skipped))
            ORDER BY priority DESC, id LIMIT 1 FOR UPDATE SKIP LOCKED
            """).map(task)
    }

    /// Leases that ran out go back to the queue, each with an audit event. A
    /// task another transaction holds is left for the next claim.
    static func expireLeases(_ session: PostgresSession, projectId: ProjectID, at: Date) async throws {
        let expired = try await session.rows("""
            WITH expired AS (
                SELECT id, assignee_id, lease_expires_at FROM tasks
                WHERE project_id = \(projectId) AND status = 'in_progress' AND lease_expires_at <= \(time(at))
                ORDER BY id FOR UPDATE SKIP LOCKED)
            UPDATE tasks SET status = 'open', assignee_id = NULL, lease_expires_at = NULL, updated_at = \(time(at))
            FROM expired WHERE tasks.id = expired.id
            RETURNING expired.id, expired.assignee_id, expired.lease_expires_at
            """)
        for row in expired {
            let before: JSONValue = .object([
                "status": .string(TaskStatus.inProgress.rawValue),
                "assigneeId": try row.get("assignee_id", as: Int64?.self).map { .number(Double($0)) } ?? .null,
                "leaseExpiresAt": try row.get("lease_expires_at", as: Double?.self).map { .number($0) } ?? .null,
            ])
            let after: JSONValue = .object(["status": .string(TaskStatus.open.rawValue), "assigneeId": .null, "leaseExpiresAt": .null])
            try await audit(session, projectId: projectId, actor: nil, action: "task.lease_expired", entity: "task",
                            entityId: try row.get("id"), before: before, after: after, at: at)
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
            try await session.run("""
                UPDATE tasks SET status = \(status.rawValue), assignee_id = CASE WHEN \(submitted) THEN assignee_id END,
                    lease_expires_at = NULL, updated_at = \(Self.time(at))
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
            } else {
                // Rejected work goes back to the queue; its labels and this review stay as history.
                after.status = .open
                after.assigneeId = nil
                try await session.run("""
                    UPDATE tasks SET status = 'open', assignee_id = NULL, agreement = NULL, updated_at = \(Self.time(at)) WHERE id = \(taskId)
                    """)
                if !annotators.isEmpty { try await Self.reopenConsensus(session, taskId: taskId, at: at) }
            }
            try await session.run("""
                INSERT INTO reviews (task_id, reviewer_id, decision, comment, created_at)
                VALUES (\(taskId), \(reviewerId), \(decision.rawValue), \(comment), \(Self.time(at)))
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
