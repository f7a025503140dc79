import Foundation
import GRDB

extension SQLiteStore {
    public func claimTask(projectId: ProjectID, userId: UserID, policy: ClaimPolicy, skipping: Set<TaskID>,
                          at: Date) async throws -> LabelTask? {
        let draw = random.unit()
        let pick = random.pick
        return try await write { db in
            try Self.expireLeases(db, projectId: projectId, at: at)
            try Self.expireAssignments(db, projectId: projectId, at: at)
            if try db.row("SELECT 1 FROM pauses WHERE project_id = ? AND user_id = ? AND reinstated_at IS NULL",
                          arguments: [projectId, userId]) != nil {
                throw LabelingError.forbidden("you are paused from claiming tasks in this project until a manager reinstates you")
            }
            // An applicant gets their qualification task back or a new one, never real work (not even a task
            // they held before qualification was required), and cannot pass tests over.
            if policy.qualificationOnly {
                if let held = try Self.heldAssignment(db, projectId: projectId, userId: userId),
                   try db.value(Bool.self, "SELECT qualification FROM tasks WHERE id = ?", arguments: [held.id]) == true {
                    return held
                }
                guard let row = try Self.goldTaskFor(db, projectId: projectId, userId: userId, qualification: true, skipping: [], pick: pick)
                else { return nil }
                return try Self.startAssignment(db, task: try Self.task(row), userId: userId, leaseSeconds: policy.leaseSeconds, at: at)
            }
            if let held = try db.row("""
                SELECT * FROM tasks WHERE assignee_id = ? AND project_id = ? AND status = 'in_progress' LIMIT 1
                """, arguments: [userId, projectId]) {
                return try Self.task(held)
            }
            if let held = try Self.heldAssignment(db, projectId: projectId, userId: userId) { return held }
            let plan = ClaimPlan(policy: policy, draw: draw)
            if let turn = try Self.claimAssignment(db, projectId: projectId, userId: userId, plan: plan, policy: policy,
                                                   skipping: skipping, pick: pick, at: at) {
                return turn
            }
            guard plan.trySingle else { return nil }
            guard let row = try Self.randomOpenTask(db, projectId: projectId, userId: userId, order: policy.order, skipping: skipping, pick: pick)
            else { return nil }
            let before = try Self.task(row)
            let expires = at.addingTimeInterval(Double(policy.leaseSeconds))
            try db.run("""
                UPDATE tasks SET status = 'in_progress', assignee_id = ?, lease_expires_at = ?, updated_at = ?, claimed_at = ?
                WHERE id = ? AND status = 'open'
                """, arguments: [userId, Self.time(expires), Self.time(at), Self.time(at), before.id])
            var after = before
            after.status = .inProgress
            after.assigneeId = userId
            after.leaseExpiresAt = expires
            after.updatedAt = at
            try Self.audit(db, projectId: projectId, actor: userId, action: "task.claimed", entity: "task", entityId: before.id,
                           before: Self.snapshot(before), after: Self.snapshot(after), at: at)
            return after
        }
    }

    /// An open task first in the queue's order (highest priority or uncertainty), at random so nobody
    /// can pick their favourite tile: a random id between the lowest and highest open ones of that
    /// rank, then the first open task at or after it (wrapping). Index lookups only, so a claim costs
    /// the same with 50 or 50,000 open tasks.
    static func randomOpenTask(_ db: Database, projectId: ProjectID, userId: UserID, order: QueueOrder, skipping: Set<TaskID>,
                               pick random: (ClosedRange<Int64>) -> Int64) throws -> Row? {
        let rank = order.column
        let maxSQL = "SELECT MAX(\(rank)) FROM tasks WHERE project_id = ? AND status = 'open' AND gold = 0"
        guard let top = try db.value(Int.self, maxSQL, arguments: [projectId]) else { return nil }
        // MIN and MAX in separate statements: SQLite answers each from the index
        // in one step, but scans every match when they share a statement.
        let filter = "FROM tasks WHERE project_id = ? AND status = 'open' AND gold = 0 AND \(rank) = ?"
        guard let low = try db.value(Int64.self, "SELECT MIN(id) " + filter, arguments: [projectId, top]),
              let high = try db.value(Int64.self, "SELECT MAX(id) " + filter, arguments: [projectId, top]) else { return nil }
        let pick = random(low...high)
        // Skipped ids are few (a page keeps the last hundred): a literal list, same statement shape per count.
        // Tasks a remediation keeps this annotator off, as well as the skipped ones (few, so the draw stays nearly uniform).
        // The user bound, not written in: one cached statement for every annotator.
        let skipped = (skipping.isEmpty ? "" : " AND id NOT IN (" + skipping.sorted().map(String.init).joined(separator: ",") + ")")
            + " AND NOT EXISTS (SELECT 1 FROM task_exclusions x WHERE x.task_id = tasks.id AND x.user_id = ?)"
        let sql = "SELECT * FROM tasks WHERE project_id = ? AND status = 'open' AND gold = 0 AND \(rank) = ? AND id >= ?" + skipped
            + " ORDER BY id LIMIT 1"
        if let row = try db.row(sql, arguments: [projectId, top, pick, userId]) ?? db.row(sql, arguments: [projectId, top, low, userId]) {
            return row
        }
        // Everything of this rank was skipped or excluded: look below it.
        let lower = "SELECT * FROM tasks WHERE project_id = ? AND status = 'open' AND gold = 0 AND \(rank) < ?" + skipped
            + " ORDER BY \(rank) DESC, id LIMIT 1"
        return try db.row(lower, arguments: [projectId, top, userId])
    }

    /// Leases that ran out go back to the queue, each with an audit event.
    static func expireLeases(_ db: Database, projectId: ProjectID, at: Date) throws {
        let expired = try db.rows("""
            SELECT * FROM tasks WHERE project_id = ? AND status = 'in_progress' AND lease_expires_at <= ?
            """, arguments: [projectId, time(at)]).map(task)
        for task in expired {
            try db.run("UPDATE tasks SET status = 'open', assignee_id = NULL, lease_expires_at = NULL, updated_at = ? WHERE id = ?",
                           arguments: [time(at), task.id])
            var after = task
            after.status = .open
            after.assigneeId = nil
            after.leaseExpiresAt = nil
            try audit(db, projectId: projectId, actor: nil, action: "task.lease_expired", entity: "task", entityId: task.id,
                      before: snapshot(task), after: snapshot(after), at: at)
        }
    }

    static func lease(_ db: Database, taskId: TaskID, userId: UserID, at: Date) throws -> HeldLease {
        guard let row = try db.row("SELECT * FROM tasks WHERE id = ?", arguments: [taskId]) else {
            throw LabelingError.notFound("task \(taskId) does not exist")
        }
        return try QueueRules.lease(task: try task(row), liveTurn: try liveAssignment(db, taskId: taskId, userId: userId),
                                    userId: userId, at: at)
    }

    public func renewLease(taskId: TaskID, userId: UserID, leaseSeconds: Int, at: Date) async throws -> LabelTask {
        try await write { db in
            let lease = try Self.lease(db, taskId: taskId, userId: userId, at: at)
            let expires = at.addingTimeInterval(Double(leaseSeconds))
            if var turn = lease.turn {
                try db.run("UPDATE assignments SET lease_expires_at = ? WHERE id = ?", arguments: [Self.time(expires), turn.id])
                turn.leaseExpiresAt = expires
                return turn.view(of: lease.task)
            }
            var task = lease.task
            try db.run("UPDATE tasks SET lease_expires_at = ?, updated_at = ? WHERE id = ?",
                           arguments: [Self.time(expires), Self.time(at), taskId])
            task.leaseExpiresAt = expires
            task.updatedAt = at
            return task
        }
    }

    public func submit(taskId: TaskID, userId: UserID, at: Date) async throws -> LabelTask {
        try await endLease(taskId: taskId, userId: userId, at: at, status: .submitted, keepAssignee: true, action: "task.submitted")
    }

    public func release(taskId: TaskID, userId: UserID, at: Date) async throws -> LabelTask {
        try await endLease(taskId: taskId, userId: userId, at: at, status: .open, keepAssignee: false, action: "task.released")
    }

    /// The lease holder ends the lease: the task moves to `status` (the
    /// assignee kept as its submitter, or cleared when it goes back to the
    /// queue), with its audit event, in one transaction.
    private func endLease(taskId: TaskID, userId: UserID, at: Date, status: TaskStatus, keepAssignee: Bool,
                          action: String) async throws -> LabelTask {
        try await write { db in
            let lease = try Self.lease(db, taskId: taskId, userId: userId, at: at)
            if let turn = lease.turn {
                return try Self.endAssignment(db, turn, task: lease.task, status: status == .open ? .released : .submitted,
                                              action: action, at: at)
            }
            let before = lease.task
            if status == .submitted {
                let claimed = try db.value(Double.self, "SELECT claimed_at FROM tasks WHERE id = ?", arguments: [taskId]).map(Self.date)
                try Self.queueSubmission(db, taskId: taskId, userId: userId, claimedAt: claimed, at: at)
                try db.run("UPDATE tasks SET submitted_at = ? WHERE id = ?", arguments: [Self.time(at), taskId])
            }
            let assignee = keepAssignee ? "assignee_id" : "NULL"
            try db.run("UPDATE tasks SET status = ?, assignee_id = \(assignee), lease_expires_at = NULL, updated_at = ? WHERE id = ?",
                       arguments: [status.rawValue, Self.time(at), taskId])
            var after = before
            after.status = status
            if !keepAssignee { after.assigneeId = nil }
            after.leaseExpiresAt = nil
            after.updatedAt = at
            try Self.audit(db, projectId: before.projectId, actor: userId, action: action, entity: "task",
                           entityId: taskId, before: Self.snapshot(before), after: Self.snapshot(after), at: at)
            return after
        }
    }

    public func tasks(projectId: ProjectID, status: TaskStatus, limit: Int) async throws -> [LabelTask] {
        try await pool.read { db in
            try db.rows("SELECT * FROM tasks WHERE project_id = ? AND status = ? ORDER BY updated_at, id LIMIT ?",
                        arguments: [projectId, status.rawValue, limit]).map(Self.task)
        }
    }

    public func review(taskId: TaskID, reviewerId: UserID, decision: ReviewDecision, comment: String?, at: Date) async throws -> LabelTask {
        try await write { db in
            guard let row = try db.row("SELECT * FROM tasks WHERE id = ?", arguments: [taskId]) else {
                throw LabelingError.notFound("task \(taskId) does not exist")
            }
            let before = try Self.task(row)
            let annotators = try db.values(UserID.self, "SELECT user_id FROM assignments WHERE task_id = ? AND status = 'submitted'",
                                           arguments: [taskId])
            try QueueRules.checkReviewable(before, reviewerId: reviewerId, submitters: annotators)
            var after = before
            after.updatedAt = at
            if decision == .accept {
                after.status = .accepted
                try db.run("UPDATE tasks SET status = 'accepted', updated_at = ? WHERE id = ?", arguments: [Self.time(at), taskId])
                try Self.recordEarnings(db, task: after, at: at)
            } else {
                // Rejected work goes back to the queue; its labels and this review stay as history.
                after.status = .open
                after.assigneeId = nil
                try db.run("UPDATE tasks SET status = 'open', assignee_id = NULL, agreement = NULL, updated_at = ? WHERE id = ?",
                               arguments: [Self.time(at), taskId])
                if !annotators.isEmpty { try Self.reopenConsensus(db, taskId: taskId, at: at) }
            }
            // Whose work it was (a k = 1 task's submitter; consensus turns keep their own rows): rework by annotator.
            let submitter = annotators.isEmpty ? before.assigneeId : nil
            try db.run("INSERT INTO reviews (task_id, reviewer_id, decision, comment, created_at, submitter_id) VALUES (?, ?, ?, ?, ?, ?)",
                       arguments: [taskId, reviewerId, decision.rawValue, comment, Self.time(at), submitter])
            var afterSnapshot = Self.snapshot(after)
            if case .object(var fields) = afterSnapshot {
                fields["decision"] = .string(decision.rawValue)
                fields["comment"] = comment.map(JSONValue.string) ?? .null
                afterSnapshot = .object(fields)
            }
            try Self.audit(db, projectId: before.projectId, actor: reviewerId, action: "task.reviewed", entity: "task",
                           entityId: taskId, before: Self.snapshot(before), after: afterSnapshot, at: at)
            return after
        }
    }

    public func reviews(taskId: TaskID) async throws -> [Review] {
        try await pool.read { db in
            try db.rows("SELECT * FROM reviews WHERE task_id = ? ORDER BY id", arguments: [taskId]).map(Self.review)
        }
    }

    public func projectVersion(projectId: ProjectID) async throws -> Int64 {
        try await pool.read { db in
            try db.value(Int64.self, "SELECT version FROM projects WHERE id = ?", arguments: [projectId]) ?? 0
        }
    }

    public func auditEvents(projectId: ProjectID, afterId: Int64, limit: Int) async throws -> [AuditEvent] {
        try await pool.read { db in
            try db.rows("SELECT * FROM audit_events WHERE project_id = ? AND id > ? ORDER BY id LIMIT ?",
                             arguments: [projectId, afterId, limit]).map(Self.auditEvent)
        }
    }
}

import SwathGeo
