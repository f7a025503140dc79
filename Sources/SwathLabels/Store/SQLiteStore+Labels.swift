import Foundation
import GRDB
import SwathGeo

extension SQLiteStore {
    public func replaceLabels(taskId: TaskID, userId: UserID, labels drafts: [LabelDraft], at: Date) async throws -> [Label] {
        try await groupedWrite { db in
            let lease = try Self.lease(db, taskId: taskId, userId: userId, at: at)
            let task = lease.task
            // On a turn of their own, an annotator replaces only their own set; they may edit the shared pre-labels into it.
            let owner: UserID? = lease.turn == nil ? nil : userId
            let mine = owner == nil ? "private_to IS NULL" : "private_to = \(userId)"
            let previous = try db.rows("SELECT id, version FROM labels WHERE task_id = ? AND superseded_at IS NULL AND \(mine)",
                                       arguments: [taskId])
            let shared = owner == nil ? [] : try db.rows("""
                SELECT id, version FROM labels WHERE task_id = ? AND superseded_at IS NULL AND private_to IS NULL
                """, arguments: [taskId])
            let versions = Dictionary(uniqueKeysWithValues: (previous + shared).map { ($0["id"] as LabelID, $0["version"] as Int) })
            try db.run("UPDATE labels SET superseded_at = ? WHERE task_id = ? AND superseded_at IS NULL AND \(mine)",
                       arguments: [Self.time(at), taskId])
            if let turn = lease.turn, turn.savedAt == nil {
                try db.run("UPDATE assignments SET saved_at = ? WHERE id = ?", arguments: [Self.time(at), turn.id])
            }
            let saved = try QueueRules.versioned(drafts, editable: versions).map { draft, version in
                try Self.insert(db, draft, task: task, annotator: userId, privateTo: owner, version: version, at: at)
            }
            try Self.audit(db, projectId: task.projectId, actor: userId, action: "labels.saved", entity: "task", entityId: taskId,
                           before: .object(["labelIds": .array(previous.map { .number(Double($0["id"] as LabelID)) })]),
                           after: .object(["labelIds": .array(saved.map { .number(Double($0.id)) })]), at: at)
            return saved
        }
    }

    static func insert(_ db: Database, _ draft: LabelDraft, task: LabelTask, annotator: UserID?, privateTo: UserID? = nil, version: Int,
                       at: Date) throws -> Label {
        try db.run("""
            INSERT INTO labels (project_id, scene_id, task_id, class_id, attributes, geometry, min_lon, min_lat, max_lon, max_lat,
                annotator_id, source, version, previous_id, seconds_spent, created_at, private_to, drawn_area)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, arguments: [
                task.projectId, task.sceneId, task.id, draft.classId, try json(draft.attributes), Data(draft.geometry.wkb),
                draft.bboxWGS84[0], draft.bboxWGS84[1], draft.bboxWGS84[2], draft.bboxWGS84[3],
                annotator, draft.source.rawValue, version, draft.previousId, draft.secondsSpent, time(at), privateTo, draft.drawnArea,
            ])
        return Label(id: db.lastInsertedRowID, projectId: task.projectId, sceneId: task.sceneId, taskId: task.id,
                     classId: draft.classId, attributes: draft.attributes, geometry: draft.geometry, annotatorId: annotator,
                     source: draft.source, version: version, previousId: draft.previousId, secondsSpent: draft.secondsSpent,
                     createdAt: at, drawnArea: draft.drawnArea)
    }

    public func labels(taskId: TaskID, privateTo: UserID?) async throws -> [Label] {
        try await pool.read { db in
            try db.rows("SELECT * FROM labels WHERE task_id = ? AND superseded_at IS NULL AND private_to IS ? ORDER BY id",
                        arguments: [taskId, privateTo]).map(Self.label)
        }
    }



    public func labels(projectId: ProjectID, bbox: [Double]?, statuses: Set<TaskStatus>) async throws -> [Label] {
        try await labels(projectId: projectId, bbox: bbox, statuses: statuses, page: nil)
    }

    public func labels(projectId: ProjectID, bbox: [Double]?, statuses: Set<TaskStatus>, page: LabelPage) async throws -> [Label] {
        try await labels(projectId: projectId, bbox: bbox, statuses: statuses, page: Optional(page))
    }

    private func labels(projectId: ProjectID, bbox: [Double]?, statuses: Set<TaskStatus>, page: LabelPage?) async throws -> [Label] {
        try await pool.read { db in
            var sql = """
                SELECT labels.* FROM labels JOIN tasks ON tasks.id = labels.task_id
                WHERE labels.project_id = ? AND labels.superseded_at IS NULL AND labels.private_to IS NULL
                """
            var arguments: StatementArguments = [projectId]
            let names = statuses.map(\.rawValue).sorted()
            sql += " AND tasks.status IN (\(names.map { _ in "?" }.joined(separator: ",")))"
            arguments += StatementArguments(names)
            if let bbox {
                // A label across the antimeridian keeps west > east (min_lon > max_lon): it covers both ends of the range.
                sql += " AND ((labels.min_lon <= labels.max_lon AND labels.max_lon >= ? AND labels.min_lon <= ?)"
                    + " OR (labels.min_lon > labels.max_lon AND (labels.min_lon <= ? OR labels.max_lon >= ?)))"
                    + " AND labels.max_lat >= ? AND labels.min_lat <= ?"
                arguments += [bbox[0], bbox[2], bbox[2], bbox[0], bbox[1], bbox[3]]
            }
            if let page {
                sql += " AND labels.id > ?"
                arguments += [page.after]
            }
            sql += " ORDER BY labels.id"
            if let page {
                sql += " LIMIT ?"
                arguments += [page.limit]
            }
            return try db.rows(sql, arguments: arguments).map(Self.label)
        }
    }

    public func addPreLabels(_ drafts: [LabelDraft], sceneId: SceneID, actor: UserID?, at: Date) async throws -> [Label] {
        try await write { db in
            var tasks: [TaskID: LabelTask] = [:]
            var saved: [Label] = []
            for draft in drafts {
                let task: LabelTask
                if let known = tasks[draft.taskId] {
                    task = known
                } else {
                    guard let row = try db.row("SELECT * FROM tasks WHERE id = ? AND scene_id = ?",
                                                     arguments: [draft.taskId, sceneId]) else {
                        throw LabelingError.notFound("task \(draft.taskId) is not a task of scene \(sceneId)")
                    }
                    task = try Self.task(row)
                    tasks[draft.taskId] = task
                }
                saved.append(try Self.insert(db, draft, task: task, annotator: actor, version: 1, at: at))
            }
            if let projectId = tasks.values.first?.projectId {
                try Self.audit(db, projectId: projectId, actor: actor, action: "labels.imported", entity: "scene", entityId: sceneId,
                               after: .object(["labels": .number(Double(saved.count)), "tasks": .number(Double(tasks.count))]), at: at)
            }
            return saved
        }
    }
}
