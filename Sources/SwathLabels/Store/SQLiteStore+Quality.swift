import Foundation
import GRDB
import SwathGeo
import SwathQuality

/// Consensus, gold tasks, integrity flags and pauses.
extension SQLiteStore {
    public func submissions(projectId: ProjectID) async throws -> [Submission] {
        try await pool.read { db in
            var found: [Submission] = []
            let turns = try db.rows("""
                SELECT a.user_id, a.task_id, t.scene_id FROM assignments a JOIN tasks t ON t.id = a.task_id
                WHERE a.project_id = ? AND a.status = 'submitted' ORDER BY a.id
                """, arguments: [projectId])
            let privateLabels = try db.rows("""
                SELECT * FROM labels WHERE project_id = ? AND superseded_at IS NULL AND private_to IS NOT NULL ORDER BY id
                """, arguments: [projectId]).map { (try Self.label($0), $0["private_to"] as UserID) }
            let byTurn = Dictionary(grouping: privateLabels) { TurnKey(taskId: $0.0.taskId, userId: $0.1) }
            for turn in turns {
                let key = TurnKey(taskId: turn["task_id"], userId: turn["user_id"])
                found.append(Submission(userId: key.userId, taskId: key.taskId, sceneId: turn["scene_id"],
                                        labels: (byTurn[key] ?? []).map(\.0), isTurn: true))
            }
            let single = try db.rows("""
                SELECT id, assignee_id, scene_id FROM tasks WHERE project_id = ? AND status IN ('submitted', 'accepted')
                    AND assignee_id IS NOT NULL AND gold = 0 AND NOT EXISTS (SELECT 1 FROM assignments a WHERE a.task_id = tasks.id)
                ORDER BY id
                """, arguments: [projectId])
            let shared = try db.rows("""
                SELECT * FROM labels WHERE project_id = ? AND superseded_at IS NULL AND private_to IS NULL ORDER BY id
                """, arguments: [projectId]).map(Self.label)
            let byTask = Dictionary(grouping: shared, by: \.taskId)
            for task in single {
                found.append(Submission(userId: task["assignee_id"], taskId: task["id"], sceneId: task["scene_id"],
                                        labels: byTask[task["id"] as TaskID] ?? [], isTurn: false))
            }
            return found
        }
    }

    private struct TurnKey: Hashable {
        let taskId: TaskID
        let userId: UserID
    }

    public func submittedClasses(projectId: ProjectID) async throws -> [(userId: UserID, taskId: TaskID, classes: Set<Int>)] {
        try await pool.read { db in
            let rows = try db.rows("""
                SELECT DISTINCT l.private_to AS user_id, l.task_id, l.class_id FROM labels l
                    JOIN assignments a ON a.task_id = l.task_id AND a.user_id = l.private_to AND a.status = 'submitted'
                WHERE l.project_id = ? AND l.superseded_at IS NULL AND l.private_to IS NOT NULL
                UNION
                SELECT DISTINCT t.assignee_id AS user_id, l.task_id, l.class_id FROM labels l JOIN tasks t ON t.id = l.task_id
                WHERE l.project_id = ? AND l.superseded_at IS NULL AND l.private_to IS NULL AND t.gold = 0
                    AND t.status IN ('submitted', 'accepted') AND t.assignee_id IS NOT NULL
                """, arguments: [projectId, projectId])
            let grouped = Dictionary(grouping: rows) { TurnKey(taskId: $0["task_id"], userId: $0["user_id"]) }
            return grouped.map { key, rows in (key.userId, key.taskId, Set(rows.map { $0["class_id"] as Int })) }
                .sorted { ($0.1, $0.0) < ($1.1, $1.0) }
        }
    }

    public func completeConsensus(taskId: TaskID, labelsPerTask: Int, consensus: [LabelDraft], agreement: Double,
                                  pairs: [PairAgreement], needsReview: Bool, at: Date) async throws -> LabelTask? {
        try await write { db in
            guard let before = try db.row("SELECT * FROM tasks WHERE id = ?", arguments: [taskId]).map(Self.task),
                  before.status == .open,
                  try db.value(Int.self, "SELECT COUNT(*) FROM assignments WHERE task_id = ? AND status = 'submitted'",
                               arguments: [taskId]) ?? 0 >= labelsPerTask else { return nil }
            try db.run("UPDATE labels SET superseded_at = ? WHERE task_id = ? AND superseded_at IS NULL AND private_to IS NULL",
                       arguments: [Self.time(at), taskId])
            let saved = try consensus.map { try Self.insert(db, $0, task: before, annotator: nil, version: 1, at: at) }
            let status: TaskStatus = needsReview ? .submitted : .accepted
            try db.run("UPDATE tasks SET status = ?, agreement = ?, updated_at = ? WHERE id = ?",
                       arguments: [status.rawValue, agreement, Self.time(at), taskId])
            if status == .accepted { try Self.recordEarnings(db, task: before, at: at) }
            for pair in pairs {
                let a = pair.agreement
                try db.run("""
                    INSERT INTO pair_agreements (task_id, project_id, first_user, second_user, class_id, matched, only_first, only_second,
                        mean_matched_iou, region_iou, area_agreement, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """, arguments: [taskId, before.projectId, pair.firstUser, pair.secondUser, a.classId, a.matched, a.onlyFirst,
                                     a.onlySecond, a.meanMatchedIoU, a.regionIoU, a.areaAgreement, Self.time(at)])
            }
            var after = before
            after.status = status
            after.updatedAt = at
            try Self.audit(db, projectId: before.projectId, actor: nil, action: "task.consensus", entity: "task", entityId: taskId,
                           before: Self.snapshot(before),
                           after: .object(["status": .string(status.rawValue), "agreement": .number(agreement),
                                           "labelIds": .array(saved.map { .number(Double($0.id)) })]), at: at)
            return after
        }
    }

    /// A rejected consensus: the turns, their sets and the consensus become
    /// history, and the task waits for k fresh submissions.
    static func reopenConsensus(_ db: Database, taskId: TaskID, at: Date) throws {
        try db.run("UPDATE assignments SET status = 'rejected' WHERE task_id = ? AND status = 'submitted'", arguments: [taskId])
        try db.run("UPDATE labels SET superseded_at = ? WHERE task_id = ? AND superseded_at IS NULL AND (private_to IS NOT NULL OR source = 'consensus')",
                   arguments: [time(at), taskId])
        try db.run("DELETE FROM pair_agreements WHERE task_id = ?", arguments: [taskId])
    }

    public func tasksAwaitingConsensus(projectId: ProjectID, labelsPerTask: Int) async throws -> [TaskID] {
        try await pool.read { db in
            try db.values(TaskID.self, """
                SELECT id FROM tasks WHERE project_id = ? AND status = 'open' AND gold = 0
                    AND (SELECT COUNT(*) FROM assignments a WHERE a.task_id = tasks.id AND a.status = 'submitted') >= ?
                ORDER BY id
                """, arguments: [projectId, labelsPerTask])
        }
    }

    public func markGold(taskId: TaskID, reference: [LabelDraft], actor: UserID?, at: Date) async throws -> LabelTask {
        try await write { db in
            guard let task = try db.row("SELECT * FROM tasks WHERE id = ?", arguments: [taskId]).map(Self.task) else {
                throw LabelingError.notFound("task \(taskId) not found")
            }
            let isGold = try db.value(Bool.self, "SELECT gold FROM tasks WHERE id = ?", arguments: [taskId]) ?? false
            let worked = try db.value(Int.self, "SELECT COUNT(*) FROM assignments WHERE task_id = ?", arguments: [taskId]) ?? 0
            try QueueRules.checkCanBecomeGold(task, isGold: isGold, turnsTaken: worked)
            try db.run("UPDATE tasks SET gold = 1, updated_at = ? WHERE id = ?", arguments: [Self.time(at), taskId])
            try db.run("UPDATE gold_labels SET superseded_at = ? WHERE task_id = ? AND superseded_at IS NULL", arguments: [Self.time(at), taskId])
            for draft in reference {
                try db.run("INSERT INTO gold_labels (task_id, class_id, geometry, created_by, created_at) VALUES (?, ?, ?, ?, ?)",
                           arguments: [taskId, draft.classId, Data(draft.geometry.wkb), actor, Self.time(at)])
            }
            try Self.audit(db, projectId: task.projectId, actor: actor, action: isGold ? "task.gold_updated" : "task.gold_marked",
                           entity: "task", entityId: taskId, after: .object(["referenceLabels": .number(Double(reference.count))]), at: at)
            return task
        }
    }

    public func goldReference(taskId: TaskID) async throws -> [Label]? {
        try await pool.read { db in
            guard let task = try db.row("SELECT * FROM tasks WHERE id = ? AND gold = 1", arguments: [taskId]).map(Self.task) else { return nil }
            return try db.rows("SELECT * FROM gold_labels WHERE task_id = ? AND superseded_at IS NULL ORDER BY id", arguments: [taskId]).map { row in
                Label(id: row["id"], projectId: task.projectId, sceneId: task.sceneId, taskId: taskId, classId: row["class_id"], attributes: [:],
                      geometry: try MultiPolygon(wkb: [UInt8](row["geometry"] as Data)), annotatorId: row["created_by"], source: .manual,
                      version: 1, previousId: nil, secondsSpent: 0, createdAt: Self.date(row["created_at"] as Double))
            }
        }
    }

    public func goldTaskIds(projectId: ProjectID) async throws -> [TaskID] {
        try await pool.read { db in
            try db.values(TaskID.self, "SELECT id FROM tasks WHERE project_id = ? AND gold = 1 ORDER BY id", arguments: [projectId])
        }
    }

    public func recordGoldResult(_ result: GoldResult, policy: GoldPolicy) async throws -> AnnotatorPause? {
        try await write { db in try Self.insertGoldResult(db, result, policy: policy) }
    }

    /// The result, and a pause when the rolling mean falls under the threshold.
    static func insertGoldResult(_ db: Database, _ result: GoldResult, policy: GoldPolicy) throws -> AnnotatorPause? {
        try db.run("INSERT INTO gold_results (project_id, user_id, task_id, f1, boundary_f1, created_at) VALUES (?, ?, ?, ?, ?, ?)",
                   arguments: [result.projectId, result.userId, result.taskId, result.f1, result.boundaryF1, Self.time(result.createdAt)])
        guard try db.row("SELECT 1 FROM pauses WHERE project_id = ? AND user_id = ? AND reinstated_at IS NULL",
                         arguments: [result.projectId, result.userId]) == nil else { return nil }
        // The rolling window starts again after a reinstatement.
        let since = try db.value(Double.self, "SELECT MAX(reinstated_at) FROM pauses WHERE project_id = ? AND user_id = ?",
                                 arguments: [result.projectId, result.userId]) ?? 0
        let recent = try db.values(Double.self, """
            SELECT f1 FROM gold_results WHERE project_id = ? AND user_id = ? AND created_at >= ?
                AND NOT EXISTS (SELECT 1 FROM tasks t WHERE t.id = gold_results.task_id AND t.qualification = 1) ORDER BY id DESC LIMIT ?
            """, arguments: [result.projectId, result.userId, since, policy.window])
        guard let reason = QueueRules.pauseReason(recentF1: recent, policy: policy) else { return nil }
        try db.run("INSERT INTO pauses (project_id, user_id, reason, paused_at) VALUES (?, ?, ?, ?)",
                   arguments: [result.projectId, result.userId, reason, Self.time(result.createdAt)])
        let pause = AnnotatorPause(id: db.lastInsertedRowID, projectId: result.projectId, userId: result.userId, reason: reason,
                                   pausedAt: result.createdAt)
        try Self.audit(db, projectId: result.projectId, actor: nil, action: "annotator.paused", entity: "user", entityId: result.userId,
                       after: .object(["reason": .string(reason)]), at: result.createdAt)
        return pause
    }

    public func goldResults(projectId: ProjectID) async throws -> [GoldResult] {
        try await pool.read { db in
            try db.rows("SELECT * FROM gold_results WHERE project_id = ? ORDER BY id", arguments: [projectId]).map { row in
                GoldResult(projectId: row["project_id"], userId: row["user_id"], taskId: row["task_id"], f1: row["f1"],
                           boundaryF1: row["boundary_f1"], createdAt: Self.date(row["created_at"] as Double))
            }
        }
    }

    public func pauses(projectId: ProjectID) async throws -> [AnnotatorPause] {
        try await pool.read { db in
            try db.rows("SELECT * FROM pauses WHERE project_id = ? ORDER BY id", arguments: [projectId]).map(Self.pause)
        }
    }

    public func reinstate(projectId: ProjectID, userId: UserID, actor: UserID, at: Date) async throws -> AnnotatorPause {
        try await write { db in
            guard var pause = try db.row("SELECT * FROM pauses WHERE project_id = ? AND user_id = ? AND reinstated_at IS NULL",
                                         arguments: [projectId, userId]).map(Self.pause) else {
                throw LabelingError.conflict("user \(userId) is not paused in project \(projectId)")
            }
            try db.run("UPDATE pauses SET reinstated_at = ?, reinstated_by = ? WHERE id = ?", arguments: [Self.time(at), actor, pause.id])
            pause.reinstatedAt = at
            pause.reinstatedBy = actor
            try Self.audit(db, projectId: projectId, actor: actor, action: "annotator.reinstated", entity: "user", entityId: userId,
                           before: .object(["reason": .string(pause.reason)]), at: at)
            return pause
        }
    }

    static func pause(_ row: Row) -> AnnotatorPause {
        AnnotatorPause(id: row["id"], projectId: row["project_id"], userId: row["user_id"], reason: row["reason"],
                       pausedAt: date(row["paused_at"] as Double), reinstatedAt: date(row["reinstated_at"] as Double?),
                       reinstatedBy: row["reinstated_by"])
    }

    public func recordChecks(flags: [FlagDraft], fingerprints: [StoredFingerprint], at: Date) async throws {
        guard !flags.isEmpty || !fingerprints.isEmpty else { return }
        try await write { db in try Self.insertChecks(db, flags: flags, fingerprints: fingerprints, at: at) }
    }

    static func insertChecks(_ db: Database, flags: [FlagDraft], fingerprints: [StoredFingerprint], at: Date) throws {
        for draft in flags {
            try db.run("""
                INSERT OR IGNORE INTO integrity_flags (project_id, user_id, task_id, label_id, kind, evidence, once_key, created_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [draft.projectId, draft.userId, draft.taskId, draft.labelId, draft.flag.kind.rawValue, draft.flag.evidence,
                                 draft.onceKey, Self.time(at)])
        }
        for print in fingerprints {
            let packed = print.fingerprint.vertices.flatMap { [$0.x, $0.y] }
            try db.run("""
                INSERT OR REPLACE INTO fingerprints (label_id, project_id, scene_id, task_id, user_id, vertex_count, perimeter_bucket,
                    reach_bucket, inner_bucket, centroid_x, centroid_y, vertices, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [print.labelId, print.projectId, print.sceneId, print.taskId, print.userId, print.fingerprint.vertices.count,
                                 print.perimeterBucket, print.radiusBuckets?.reach, print.radiusBuckets?.inner,
                                 print.fingerprint.centroid.x, print.fingerprint.centroid.y,
                                 packed.withUnsafeBytes { Data($0) }, Self.time(at)])
        }
        try insertShapes(db, fingerprints, at: at)
    }

    public func flags(projectId: ProjectID) async throws -> [FlagRecord] {
        try await pool.read { db in
            try db.rows("SELECT * FROM integrity_flags WHERE project_id = ? ORDER BY id", arguments: [projectId]).compactMap(Self.flag)
        }
    }

    public func flags(taskId: TaskID) async throws -> [FlagRecord] {
        try await pool.read { db in
            try db.rows("SELECT * FROM integrity_flags WHERE task_id = ? ORDER BY id", arguments: [taskId]).compactMap(Self.flag)
        }
    }

    static func flag(_ row: Row) -> FlagRecord? {
        guard let kind = IntegrityFlag.Kind(rawValue: row["kind"]) else { return nil }
        return FlagRecord(id: row["id"], projectId: row["project_id"], userId: row["user_id"], taskId: row["task_id"],
                          labelId: row["label_id"], kind: kind, evidence: row["evidence"], createdAt: date(row["created_at"] as Double))
    }

    public func fingerprints(vertexCount: Int, buckets: ClosedRange<Int>, reach: ClosedRange<Int>,
                             inner: ClosedRange<Int>) async throws -> [StoredFingerprint] {
        try await pool.read { db in
            try db.rows("""
                SELECT label_id, project_id, scene_id, task_id, user_id, centroid_x, centroid_y, perimeter_bucket, vertices FROM fingerprints
                WHERE vertex_count = ? AND perimeter_bucket BETWEEN ? AND ?
                    AND (reach_bucket IS NULL OR (reach_bucket BETWEEN ? AND ? AND inner_bucket BETWEEN ? AND ?)) ORDER BY label_id
                """, arguments: [vertexCount, buckets.lowerBound, buckets.upperBound, reach.lowerBound, reach.upperBound,
                                 inner.lowerBound, inner.upperBound]).map { row in
                // Columns by position: a lookup by name per column per row cost more than the decoding.
                let numbers = (row[8] as Data).withUnsafeBytes { Array($0.bindMemory(to: Double.self)) }
                let vertices = stride(from: 0, to: numbers.count - 1, by: 2).map { Point(x: numbers[$0], y: numbers[$0 + 1]) }
                return StoredFingerprint(labelId: row[0], projectId: row[1], sceneId: row[2], taskId: row[3], userId: row[4],
                                         fingerprint: ShapeFingerprint(vertices: vertices, centroid: Point(x: row[5], y: row[6])),
                                         perimeterBucket: row[7])
            }
        }
    }

    public func pairAgreements(projectId: ProjectID) async throws -> [PairAgreement] {
        try await pool.read { db in
            try db.rows("SELECT * FROM pair_agreements WHERE project_id = ? ORDER BY rowid", arguments: [projectId]).map { row in
                PairAgreement(taskId: row["task_id"], firstUser: row["first_user"], secondUser: row["second_user"],
                              agreement: ClassAgreement(classId: row["class_id"], matched: row["matched"], onlyFirst: row["only_first"],
                                                        onlySecond: row["only_second"], meanMatchedIoU: row["mean_matched_iou"],
                                                        regionIoU: row["region_iou"], areaAgreement: row["area_agreement"]))
            }
        }
    }

    public func taskAgreements(projectId: ProjectID) async throws -> [(task: LabelTask, agreement: Double?)] {
        try await pool.read { db in
            try db.rows("SELECT * FROM tasks WHERE project_id = ? AND gold = 0 ORDER BY id", arguments: [projectId]).map {
                (try Self.task($0), $0["agreement"] as Double?)
            }
        }
    }

    public func annotatorCount(projectId: ProjectID) async throws -> Int {
        try await pool.read { db in
            try db.value(Int.self, "SELECT COUNT(*) FROM memberships WHERE project_id = ? AND role = 'annotator'", arguments: [projectId]) ?? 0
        }
    }

    public func updateSettings(projectId: ProjectID, settings: ProjectSettings, actor: UserID?, at: Date) async throws -> Project {
        try await write { db in
            guard var project = try db.row("SELECT * FROM projects WHERE id = ?", arguments: [projectId]).map(Self.project) else {
                throw LabelingError.notFound("project \(projectId) not found")
            }
            let scenes = try db.value(Int.self, "SELECT COUNT(*) FROM scenes WHERE project_id = ?", arguments: [projectId]) ?? 0
            try QueueRules.checkSettingsChange(projectId: projectId, from: project.settings, to: settings, sceneCount: scenes)
            try db.run("UPDATE projects SET settings = ? WHERE id = ?", arguments: [try Self.json(settings), projectId])
            try Self.audit(db, projectId: projectId, actor: actor, action: "project.settings_changed", entity: "project", entityId: projectId,
                           before: JSONValue(parsing: try Self.json(project.settings)), after: JSONValue(parsing: try Self.json(settings)), at: at)
            project.settings = settings
            return project
        }
    }
}
