import Foundation
import PostgresNIO
import SwathGeo
import SwathQuality

/// Consensus, gold tasks, integrity flags and pauses.
extension PostgresStore {
    public func submissions(projectId: ProjectID) async throws -> [Submission] {
        try await read { session in
            var found: [Submission] = []
            let privateLabels = try await session.rows("""
                SELECT \(unescaped: Self.labelColumns()) FROM labels
                WHERE project_id = \(projectId) AND superseded_at IS NULL AND private_to IS NOT NULL ORDER BY id
                """)
            var byTurn: [TurnKey: [Label]] = [:]
            for row in privateLabels {
                byTurn[TurnKey(taskId: try row.get("task_id"), userId: try row.get("private_to")), default: []].append(try Self.label(row))
            }
            for turn in try await session.rows("""
                SELECT a.user_id, a.task_id, t.scene_id FROM assignments a JOIN tasks t ON t.id = a.task_id
                WHERE a.project_id = \(projectId) AND a.status = 'submitted' ORDER BY a.id
                """) {
                let key = TurnKey(taskId: try turn.get("task_id"), userId: try turn.get("user_id"))
                found.append(Submission(userId: key.userId, taskId: key.taskId, sceneId: try turn.get("scene_id"),
                                        labels: byTurn[key] ?? [], isTurn: true))
            }
            let shared = try await session.rows("""
                SELECT \(unescaped: Self.labelColumns()) FROM labels
                WHERE project_id = \(projectId) AND superseded_at IS NULL AND private_to IS NULL ORDER BY id
                """).map(Self.label)
            let byTask = Dictionary(grouping: shared, by: \.taskId)
            for task in try await session.rows("""
                SELECT id, assignee_id, scene_id FROM tasks WHERE project_id = \(projectId) AND status IN ('submitted', 'accepted')
                    AND assignee_id IS NOT NULL AND NOT gold AND NOT EXISTS (SELECT 1 FROM assignments a WHERE a.task_id = tasks.id)
                ORDER BY id
                """) {
                let taskId: TaskID = try task.get("id")
                found.append(Submission(userId: try task.get("assignee_id"), taskId: taskId, sceneId: try task.get("scene_id"),
                                        labels: byTask[taskId] ?? [], isTurn: false))
            }
            return found
        }
    }

    private struct TurnKey: Hashable {
        let taskId: TaskID
        let userId: UserID
    }

    public func submittedClasses(projectId: ProjectID) async throws -> [(userId: UserID, taskId: TaskID, classes: Set<Int>)] {
        let rows = try await read { session in
            try await session.rows("""
                SELECT DISTINCT l.private_to AS user_id, l.task_id, l.class_id FROM labels l
                    JOIN assignments a ON a.task_id = l.task_id AND a.user_id = l.private_to AND a.status = 'submitted'
                WHERE l.project_id = \(projectId) AND l.superseded_at IS NULL AND l.private_to IS NOT NULL
                UNION
                SELECT DISTINCT t.assignee_id AS user_id, l.task_id, l.class_id FROM labels l JOIN tasks t ON t.id = l.task_id
                WHERE l.project_id = \(projectId) AND l.superseded_at IS NULL AND l.private_to IS NULL AND NOT t.gold
                    AND t.status IN ('submitted', 'accepted') AND t.assignee_id IS NOT NULL
                """).map { (TurnKey(taskId: try $0.get("task_id"), userId: try $0.get("user_id")), try $0.get("class_id", as: Int.self)) }
        }
        let grouped = Dictionary(grouping: rows, by: \.0)
        return grouped.map { key, rows in (key.userId, key.taskId, Set(rows.map(\.1))) }.sorted { ($0.1, $0.0) < ($1.1, $1.0) }
    }

    public func completeConsensus(taskId: TaskID, labelsPerTask: Int, consensus: [LabelDraft], agreement: Double,
                                  pairs: [PairAgreement], needsReview: Bool, at: Date) async throws -> LabelTask? {
        try await write { session -> LabelTask? in
            // Locked: of two servers completing the same task at once, the second finds it no longer open.
            guard let before = try await session.row("SELECT * FROM tasks WHERE id = \(taskId) FOR UPDATE").map(Self.task),
                  before.status == .open,
                  try await session.value(Int.self, """
                      SELECT COUNT(*) FROM assignments WHERE task_id = \(taskId) AND status = 'submitted'
                      """) ?? 0 >= labelsPerTask else { return nil }
            try await session.run("""
                UPDATE labels SET superseded_at = \(Self.time(at)) WHERE task_id = \(taskId) AND superseded_at IS NULL AND private_to IS NULL
                """)
            var saved: [Label] = []
            for draft in consensus { saved.append(try await Self.insert(session, draft, task: before, annotator: nil, version: 1, at: at)) }
            let status: TaskStatus = needsReview ? .submitted : .accepted
            try await session.run("""
                UPDATE tasks SET status = \(status.rawValue), agreement = \(agreement), updated_at = \(Self.time(at)) WHERE id = \(taskId)
                """)
            // Accepted without review: the turns are paid in this transaction, as a reviewer's acceptance pays them.
            if status == .accepted { try await Self.recordEarnings(session, task: before, at: at) }
            for pair in pairs {
                let a = pair.agreement
                try await session.run("""
                    INSERT INTO pair_agreements (task_id, project_id, first_user, second_user, class_id, matched, only_first, only_second,
                        mean_matched_iou, region_iou, area_agreement, created_at)
                    VALUES (\(taskId), \(before.projectId), \(pair.firstUser), \(pair.secondUser), \(a.classId), \(a.matched), \(a.onlyFirst),
                        \(a.onlySecond), \(a.meanMatchedIoU), \(a.regionIoU), \(a.areaAgreement), \(Self.time(at)))
                    """)
            }
            var after = before
            after.status = status
            after.updatedAt = at
            try await Self.audit(session, projectId: before.projectId, actor: nil, action: "task.consensus", entity: "task", entityId: taskId,
                                 before: QueueRules.snapshot(before),
                                 after: .object(["status": .string(status.rawValue), "agreement": .number(agreement),
                                                 "labelIds": .array(saved.map { .number(Double($0.id)) })]), at: at)
            return after
        }
    }

    /// A rejected consensus: the turns, their sets and the consensus become history.
    static func reopenConsensus(_ session: PostgresSession, taskId: TaskID, at: Date) async throws {
        try await session.run("UPDATE assignments SET status = 'rejected' WHERE task_id = \(taskId) AND status = 'submitted'")
        try await session.run("""
            UPDATE labels SET superseded_at = \(time(at))
            WHERE task_id = \(taskId) AND superseded_at IS NULL AND (private_to IS NOT NULL OR source = 'consensus')
            """)
        try await session.run("DELETE FROM pair_agreements WHERE task_id = \(taskId)")
    }

    public func tasksAwaitingConsensus(projectId: ProjectID, labelsPerTask: Int) async throws -> [TaskID] {
        try await read { session in
            try await session.values(Int64.self, """
                SELECT id FROM tasks WHERE project_id = \(projectId) AND status = 'open' AND NOT gold
                    AND (SELECT COUNT(*) FROM assignments a WHERE a.task_id = tasks.id AND a.status = 'submitted') >= \(labelsPerTask)
                ORDER BY id
                """)
        }
    }

    public func markGold(taskId: TaskID, reference: [LabelDraft], actor: UserID?, at: Date) async throws -> LabelTask {
        try await write { session in
            guard let row = try await session.row("SELECT * FROM tasks WHERE id = \(taskId) FOR UPDATE") else {
                throw LabelingError.notFound("task \(taskId) not found")
            }
            let task = try Self.task(row)
            let isGold: Bool = try row.get("gold")
            let worked = try await session.value(Int.self, "SELECT COUNT(*) FROM assignments WHERE task_id = \(taskId)") ?? 0
            try QueueRules.checkCanBecomeGold(task, isGold: isGold, turnsTaken: worked)
            try await session.run("UPDATE tasks SET gold = true, updated_at = \(Self.time(at)) WHERE id = \(taskId)")
            try await session.run("""
                UPDATE gold_labels SET superseded_at = \(Self.time(at)) WHERE task_id = \(taskId) AND superseded_at IS NULL
                """)
            for draft in reference {
                try await session.run("""
                    INSERT INTO gold_labels (task_id, class_id, geometry, created_by, created_at)
                    VALUES (\(taskId), \(draft.classId),
                        ST_GeomFromWKB(\(Data(draft.geometry.wkb)), COALESCE((SELECT epsg FROM scenes WHERE id = \(task.sceneId)), 0)::integer),
                        \(actor), \(Self.time(at)))
                    """)
            }
            try await Self.audit(session, projectId: task.projectId, actor: actor, action: isGold ? "task.gold_updated" : "task.gold_marked",
                                 entity: "task", entityId: taskId, after: .object(["referenceLabels": .number(Double(reference.count))]), at: at)
            return task
        }
    }

    public func goldReference(taskId: TaskID) async throws -> [Label]? {
        try await read { session in
            guard let task = try await session.row("SELECT * FROM tasks WHERE id = \(taskId) AND gold").map(Self.task) else { return nil }
            return try await session.rows("""
                SELECT id, class_id, created_by, created_at, ST_AsBinary(geometry) AS wkb FROM gold_labels
                WHERE task_id = \(taskId) AND superseded_at IS NULL ORDER BY id
                """).map { row in
                Label(id: try row.get("id"), projectId: task.projectId, sceneId: task.sceneId, taskId: taskId, classId: try row.get("class_id"),
                      attributes: [:], geometry: try MultiPolygon(wkb: [UInt8](try row.get("wkb", as: Data.self))),
                      annotatorId: try row.get("created_by"), source: .manual, version: 1, previousId: nil, secondsSpent: 0,
                      createdAt: Self.date(try row.get("created_at")))
            }
        }
    }

    public func goldTaskIds(projectId: ProjectID) async throws -> [TaskID] {
        try await read { session in
            try await session.values(Int64.self, "SELECT id FROM tasks WHERE project_id = \(projectId) AND gold ORDER BY id")
        }
    }

    public func recordGoldResult(_ result: GoldResult, policy: GoldPolicy) async throws -> AnnotatorPause? {
        try await write { session in try await Self.insertGoldResult(session, result, policy: policy) }
    }

    /// The result, and a pause when the rolling mean falls under the threshold
    /// (one live pause per annotator, by a unique index, whichever server decides).
    static func insertGoldResult(_ session: PostgresSession, _ result: GoldResult, policy: GoldPolicy) async throws -> AnnotatorPause? {
        try await session.run("""
            INSERT INTO gold_results (project_id, user_id, task_id, f1, boundary_f1, created_at)
            VALUES (\(result.projectId), \(result.userId), \(result.taskId), \(result.f1), \(result.boundaryF1), \(time(result.createdAt)))
            """)
        guard try await session.row("""
            SELECT 1 FROM pauses WHERE project_id = \(result.projectId) AND user_id = \(result.userId) AND reinstated_at IS NULL
            """) == nil else { return nil }
        let since = try await session.value(Double.self, """
            SELECT MAX(reinstated_at) FROM pauses WHERE project_id = \(result.projectId) AND user_id = \(result.userId)
            """) ?? 0
        // Qualification tests are judged on their own (the standing), not in the rolling window that pauses.
        let recent = try await session.values(Double.self, """
            SELECT f1 FROM gold_results WHERE project_id = \(result.projectId) AND user_id = \(result.userId) AND created_at >= \(since)
                AND NOT EXISTS (SELECT 1 FROM tasks t WHERE t.id = gold_results.task_id AND t.qualification)
            ORDER BY id DESC LIMIT \(policy.window)
            """)
        guard let reason = QueueRules.pauseReason(recentF1: recent, policy: policy) else { return nil }
        guard let id = try await session.value(Int64.self, """
            INSERT INTO pauses (project_id, user_id, reason, paused_at)
            VALUES (\(result.projectId), \(result.userId), \(reason), \(time(result.createdAt)))
            ON CONFLICT (project_id, user_id) WHERE reinstated_at IS NULL DO NOTHING RETURNING id
            """) else { return nil }
        try await audit(session, projectId: result.projectId, actor: nil, action: "annotator.paused", entity: "user", entityId: result.userId,
                        after: .object(["reason": .string(reason)]), at: result.createdAt)
        return AnnotatorPause(id: id, projectId: result.projectId, userId: result.userId, reason: reason, pausedAt: result.createdAt)
    }

    public func goldResults(projectId: ProjectID) async throws -> [GoldResult] {
        try await read { session in
            try await session.rows("SELECT * FROM gold_results WHERE project_id = \(projectId) ORDER BY id").map { row in
                GoldResult(projectId: try row.get("project_id"), userId: try row.get("user_id"), taskId: try row.get("task_id"),
                           f1: try row.get("f1"), boundaryF1: try row.get("boundary_f1"), createdAt: Self.date(try row.get("created_at")))
            }
        }
    }

    public func pauses(projectId: ProjectID) async throws -> [AnnotatorPause] {
        try await read { session in try await session.rows("SELECT * FROM pauses WHERE project_id = \(projectId) ORDER BY id").map(Self.pause) }
    }

    public func reinstate(projectId: ProjectID, userId: UserID, actor: UserID, at: Date) async throws -> AnnotatorPause {
        try await write { session in
            guard let row = try await session.row("""
                UPDATE pauses SET reinstated_at = \(Self.time(at)), reinstated_by = \(actor)
                WHERE project_id = \(projectId) AND user_id = \(userId) AND reinstated_at IS NULL RETURNING *
                """) else {
                throw LabelingError.conflict("user \(userId) is not paused in project \(projectId)")
            }
            let pause = try Self.pause(row)
            try await Self.audit(session, projectId: projectId, actor: actor, action: "annotator.reinstated", entity: "user", entityId: userId,
                                 before: .object(["reason": .string(pause.reason)]), at: at)
            return pause
        }
    }

    public func recordChecks(flags: [FlagDraft], fingerprints: [StoredFingerprint], at: Date) async throws {
        guard !flags.isEmpty || !fingerprints.isEmpty else { return }
        try await write { session in try await Self.insertChecks(session, flags: flags, fingerprints: fingerprints, at: at) }
    }

    static func insertChecks(_ session: PostgresSession, flags: [FlagDraft], fingerprints: [StoredFingerprint], at: Date) async throws {
        for draft in flags {
            try await session.run("""
                INSERT INTO integrity_flags (project_id, user_id, task_id, label_id, kind, evidence, once_key, created_at)
                VALUES (\(draft.projectId), \(draft.userId), \(draft.taskId), \(draft.labelId), \(draft.flag.kind.rawValue),
                    \(draft.flag.evidence), \(draft.onceKey), \(time(at)))
                ON CONFLICT DO NOTHING
                """)
        }
        for print in fingerprints {
            let packed = print.fingerprint.vertices.flatMap { [$0.x, $0.y] }.withUnsafeBytes { Data($0) }
            try await session.run("""
                INSERT INTO fingerprints (label_id, project_id, scene_id, task_id, user_id, vertex_count, perimeter_bucket,
                    reach_bucket, inner_bucket, centroid_x, centroid_y, vertices, created_at)
                VALUES (\(print.labelId), \(print.projectId), \(print.sceneId), \(print.taskId), \(print.userId),
                    \(print.fingerprint.vertices.count), \(print.perimeterBucket), \(print.radiusBuckets.map { Int64($0.reach) }),
                    \(print.radiusBuckets.map { Int64($0.inner) }), \(print.fingerprint.centroid.x),
                    \(print.fingerprint.centroid.y), \(packed), \(time(at)))
                ON CONFLICT (label_id) DO UPDATE SET project_id = EXCLUDED.project_id, scene_id = EXCLUDED.scene_id,
                    task_id = EXCLUDED.task_id, user_id = EXCLUDED.user_id, vertex_count = EXCLUDED.vertex_count,
                    perimeter_bucket = EXCLUDED.perimeter_bucket, reach_bucket = EXCLUDED.reach_bucket,
                    inner_bucket = EXCLUDED.inner_bucket, centroid_x = EXCLUDED.centroid_x, centroid_y = EXCLUDED.centroid_y,
                    vertices = EXCLUDED.vertices, created_at = EXCLUDED.created_at
                """)
        }
        try await insertShapes(session, fingerprints, at: at)
    }

    public func flags(projectId: ProjectID) async throws -> [FlagRecord] {
        try await read { session in
            try await session.rows("SELECT * FROM integrity_flags WHERE project_id = \(projectId) ORDER BY id").compactMap(Self.flag)
        }
    }

    public func flags(taskId: TaskID) async throws -> [FlagRecord] {
        try await read { session in
            try await session.rows("SELECT * FROM integrity_flags WHERE task_id = \(taskId) ORDER BY id").compactMap(Self.flag)
        }
    }

    static func flag(_ row: PostgresRandomAccessRow) throws -> FlagRecord? {
        guard let kind = IntegrityFlag.Kind(rawValue: try row.get("kind")) else { return nil }
        return FlagRecord(id: try row.get("id"), projectId: try row.get("project_id"), userId: try row.get("user_id"),
                          taskId: try row.get("task_id"), labelId: try row.get("label_id"), kind: kind, evidence: try row.get("evidence"),
                          createdAt: date(try row.get("created_at")))
    }

    public func fingerprints(vertexCount: Int, buckets: ClosedRange<Int>, reach: ClosedRange<Int>,
                             inner: ClosedRange<Int>) async throws -> [StoredFingerprint] {
        try await read { session in
            try await session.rows("""
                SELECT * FROM fingerprints WHERE vertex_count = \(vertexCount)
                    AND perimeter_bucket BETWEEN \(buckets.lowerBound) AND \(buckets.upperBound)
                    AND (reach_bucket IS NULL OR (reach_bucket BETWEEN \(reach.lowerBound) AND \(reach.upperBound)
                        AND inner_bucket BETWEEN \(inner.lowerBound) AND \(inner.upperBound))) ORDER BY label_id
                """).map { row in
                let numbers = try row.get("vertices", as: Data.self).withUnsafeBytes { Array($0.bindMemory(to: Double.self)) }
                let vertices = stride(from: 0, to: numbers.count - 1, by: 2).map { Point(x: numbers[$0], y: numbers[$0 + 1]) }
                return StoredFingerprint(labelId: try row.get("label_id"), projectId: try row.get("project_id"), sceneId: try row.get("scene_id"),
                                         taskId: try row.get("task_id"), userId: try row.get("user_id"),
                                         fingerprint: ShapeFingerprint(vertices: vertices,
                                                                       centroid: Point(x: try row.get("centroid_x"), y: try row.get("centroid_y"))),
                                         perimeterBucket: try row.get("perimeter_bucket"))
            }
        }
    }

    public func pairAgreements(projectId: ProjectID) async throws -> [PairAgreement] {
        try await read { session in
            try await session.rows("SELECT * FROM pair_agreements WHERE project_id = \(projectId) ORDER BY id").map { row in
                PairAgreement(taskId: try row.get("task_id"), firstUser: try row.get("first_user"), secondUser: try row.get("second_user"),
                              agreement: ClassAgreement(classId: try row.get("class_id"), matched: try row.get("matched"),
                                                        onlyFirst: try row.get("only_first"), onlySecond: try row.get("only_second"),
                                                        meanMatchedIoU: try row.get("mean_matched_iou"), regionIoU: try row.get("region_iou"),
                                                        areaAgreement: try row.get("area_agreement")))
            }
        }
    }

    public func taskAgreements(projectId: ProjectID) async throws -> [(task: LabelTask, agreement: Double?)] {
        let rows = try await read { session in
            try await session.rows("SELECT * FROM tasks WHERE project_id = \(projectId) AND NOT gold ORDER BY id").map {
                (try Self.task($0), try $0.get("agreement", as: Double?.self))
            }
        }
        return rows.map { (task: $0.0, agreement: $0.1) }
    }
}
