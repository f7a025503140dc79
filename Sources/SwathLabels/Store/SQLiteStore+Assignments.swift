import Foundation
import GRDB

/// The queue for tasks several annotators label on their own: consensus
/// tasks (k > 1) and gold tasks. Each turn is an `assignments` row with its
/// own lease; the task row stays open until the consensus is made.
extension SQLiteStore {
    static let activeAssignment = "('in_progress', 'submitted')"

    /// A gold task this annotator has not done, or a consensus task with room
    /// for one more annotator; nil when neither is left. Runs inside the claim's transaction.
    static func claimAssignment(_ db: Database, projectId: ProjectID, userId: UserID, plan: ClaimPlan, policy: ClaimPolicy,
                                skipping: Set<TaskID>, pick: (ClosedRange<Int64>) -> Int64, at: Date) throws -> LabelTask? {
        var row: Row?
        if plan.tryGold { row = try goldTaskFor(db, projectId: projectId, userId: userId, qualification: false, skipping: skipping, pick: pick) }
        if row == nil, plan.tryConsensus {
            row = try openConsensusTask(db, projectId: projectId, userId: userId, labelsPerTask: policy.labelsPerTask,
                                        order: policy.order, skipping: skipping, pick: pick)
        }
        guard let row else { return nil }
        return try startAssignment(db, task: try task(row), userId: userId, leaseSeconds: policy.leaseSeconds, at: at)
    }

    /// A gold task of the kind asked for (qualification test or ordinary gold) the annotator has not done.
    static func goldTaskFor(_ db: Database, projectId: ProjectID, userId: UserID, qualification: Bool, skipping: Set<TaskID>,
                            pick: (ClosedRange<Int64>) -> Int64) throws -> Row? {
        let ids = try db.values(Int64.self, """
            SELECT id FROM tasks WHERE project_id = ? AND gold = 1 AND qualification = ? AND NOT EXISTS (
                SELECT 1 FROM assignments a WHERE a.task_id = tasks.id AND a.user_id = ? AND a.status IN \(activeAssignment))
            ORDER BY id
            """, arguments: [projectId, qualification, userId]).filter { !skipping.contains($0) }
        guard !ids.isEmpty else { return nil }
        let chosen = ids[Int(pick(0...Int64(ids.count - 1)))]
        return try db.row("SELECT * FROM tasks WHERE id = ?", arguments: [chosen])
    }

    /// An open, non-gold task first in the queue's order that has fewer than k active turns and
    /// none of them this annotator's: from a random id on, as for k = 1, so nobody picks their tile.
    static func openConsensusTask(_ db: Database, projectId: ProjectID, userId: UserID, labelsPerTask: Int, order: QueueOrder,
                                  skipping: Set<TaskID>, pick: (ClosedRange<Int64>) -> Int64) throws -> Row? {
        let skipped = skipping.isEmpty ? "" : " AND id NOT IN (" + skipping.sorted().map(String.init).joined(separator: ",") + ")"
        let eligible = """
            FROM tasks WHERE project_id = ? AND status = 'open' AND gold = 0\(skipped)
                AND (SELECT COUNT(*) FROM assignments a WHERE a.task_id = tasks.id AND a.status IN \(activeAssignment)) < ?
                AND NOT EXISTS (SELECT 1 FROM assignments a WHERE a.task_id = tasks.id AND a.user_id = ? AND a.status IN \(activeAssignment))
                AND NOT EXISTS (SELECT 1 FROM task_exclusions x WHERE x.task_id = tasks.id AND x.user_id = ?)
            """
        let arguments: StatementArguments = [projectId, labelsPerTask, userId, userId]
        let rank = order.column
        guard let top = try db.value(Int.self, "SELECT MAX(\(rank)) " + eligible, arguments: arguments),
              let low = try db.value(Int64.self, "SELECT MIN(id) " + eligible + " AND \(rank) = ?", arguments: arguments + [top]),
              let high = try db.value(Int64.self, "SELECT MAX(id) " + eligible + " AND \(rank) = ?", arguments: arguments + [top])
        else { return nil }
        let from = pick(low...high)
        let sql = "SELECT * " + eligible + " AND \(rank) = ? AND id >= ? ORDER BY id LIMIT 1"
        return try db.row(sql, arguments: arguments + [top, from]) ?? db.row(sql, arguments: arguments + [top, low])
    }

    static func startAssignment(_ db: Database, task: LabelTask, userId: UserID, leaseSeconds: Int, at: Date) throws -> LabelTask {
        let expires = at.addingTimeInterval(Double(leaseSeconds))
        try db.run("""
            INSERT INTO assignments (project_id, task_id, user_id, status, lease_expires_at, claimed_at) VALUES (?, ?, ?, 'in_progress', ?, ?)
            """, arguments: [task.projectId, task.id, userId, time(expires), time(at)])
        let turn = Assignment(id: db.lastInsertedRowID, projectId: task.projectId, taskId: task.id, userId: userId, status: .inProgress,
                              leaseExpiresAt: expires, claimedAt: at)
        let view = turn.view(of: task)
        try audit(db, projectId: task.projectId, actor: userId, action: "task.claimed", entity: "task", entityId: task.id,
                  before: snapshot(task), after: snapshot(view), at: at)
        return view
    }

    /// The caller's live turn on a task, if any.
    static func liveAssignment(_ db: Database, taskId: TaskID, userId: UserID) throws -> Assignment? {
        try db.row("SELECT * FROM assignments WHERE task_id = ? AND user_id = ? AND status = 'in_progress' ORDER BY id DESC LIMIT 1",
                   arguments: [taskId, userId]).map(assignment)
    }

    static func heldAssignment(_ db: Database, projectId: ProjectID, userId: UserID) throws -> LabelTask? {
        guard let turn = try db.row("""
            SELECT * FROM assignments WHERE user_id = ? AND project_id = ? AND status = 'in_progress' ORDER BY id LIMIT 1
            """, arguments: [userId, projectId]).map(assignment),
              let row = try db.row("SELECT * FROM tasks WHERE id = ?", arguments: [turn.taskId]) else { return nil }
        return turn.view(of: try task(row))
    }

    static func expireAssignments(_ db: Database, projectId: ProjectID, at: Date) throws {
        let expired = try db.rows("""
            SELECT * FROM assignments WHERE project_id = ? AND status = 'in_progress' AND lease_expires_at <= ?
            """, arguments: [projectId, time(at)]).map(assignment)
        for turn in expired {
            try db.run("UPDATE assignments SET status = 'expired', lease_expires_at = NULL WHERE id = ?", arguments: [turn.id])
            try audit(db, projectId: projectId, actor: nil, action: "task.lease_expired", entity: "task", entityId: turn.taskId,
                      before: .object(["assigneeId": .number(Double(turn.userId))]), after: .object(["assigneeId": .null]), at: at)
        }
    }

    /// Ends a live turn: submitted, or released back to the queue.
    static func endAssignment(_ db: Database, _ turn: Assignment, task: LabelTask, status: Assignment.Status, action: String,
                              at: Date) throws -> LabelTask {
        if status == .submitted, turn.savedAt == nil {
            // Submitted without a save: what they handed in is the pre-labels they were shown, kept as their own set.
            for row in try db.rows("SELECT * FROM labels WHERE task_id = ? AND superseded_at IS NULL AND private_to IS NULL",
                                   arguments: [task.id]) {
                let label = try label(row)
                let draft = LabelDraft(taskId: task.id, classId: label.classId, attributes: label.attributes, geometry: label.geometry,
                                       bboxWGS84: [row["min_lon"], row["min_lat"], row["max_lon"], row["max_lat"]], source: label.source,
                                       previousId: label.id, secondsSpent: 0, drawnArea: label.drawnArea)
                _ = try insert(db, draft, task: task, annotator: turn.userId, privateTo: turn.userId, version: label.version + 1, at: at)
            }
        }
        try db.run("UPDATE assignments SET status = ?, lease_expires_at = NULL, submitted_at = ? WHERE id = ?",
                   arguments: [status.rawValue, status == .submitted ? time(at) : nil, turn.id])
        if status == .submitted { try queueSubmission(db, taskId: task.id, userId: turn.userId, claimedAt: turn.claimedAt, at: at) }
        var ended = turn
        ended.status = status
        ended.leaseExpiresAt = nil
        if status == .submitted { ended.submittedAt = at }
        let view = ended.view(of: task)
        try audit(db, projectId: task.projectId, actor: turn.userId, action: action, entity: "task", entityId: task.id,
                  before: snapshot(turn.view(of: task)), after: snapshot(view), at: at)
        return view
    }

    public func assignments(taskId: TaskID) async throws -> [Assignment] {
        try await pool.read { db in
            try db.rows("SELECT * FROM assignments WHERE task_id = ? ORDER BY id", arguments: [taskId]).map(Self.assignment)
        }
    }

    static func assignment(_ row: Row) -> Assignment {
        Assignment(id: row["id"], projectId: row["project_id"], taskId: row["task_id"], userId: row["user_id"],
                   status: Assignment.Status(rawValue: row["status"]) ?? .expired, leaseExpiresAt: date(row["lease_expires_at"] as Double?),
                   claimedAt: date(row["claimed_at"] as Double), savedAt: date(row["saved_at"] as Double?),
                   submittedAt: date(row["submitted_at"] as Double?))
    }
}
