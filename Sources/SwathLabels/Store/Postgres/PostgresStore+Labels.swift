import Foundation
import PostgresNIO
import SwathGeo

extension PostgresStore {
    public func replaceLabels(taskId: TaskID, userId: UserID, labels drafts: [LabelDraft], at: Date) async throws -> [Label] {
        try await write { session in
            let lease = try await Self.lease(session, taskId: taskId, userId: userId, at: at)
            let task = lease.task
            // On a turn of their own, an annotator replaces only their own set; they may edit the shared pre-labels into it.
            let owner: UserID? = lease.turn == nil ? nil : userId
            let superseded = try await session.rows("""
                UPDATE labels SET superseded_at = \(Self.time(at))
                WHERE task_id = \(taskId) AND superseded_at IS NULL AND private_to IS NOT DISTINCT FROM \(owner)
                RETURNING id, version
                """)
            let shared = owner == nil ? [] : try await session.rows("""
                SELECT id, version FROM labels WHERE task_id = \(taskId) AND superseded_at IS NULL AND private_to IS NULL
                """)
            var versions: [LabelID: Int] = [:]
            for row in superseded + shared { versions[try row.get("id")] = try row.get("version", as: Int.self) }
            if let turn = lease.turn, turn.savedAt == nil {
                try await session.run("UPDATE assignments SET saved_at = \(Self.time(at)) WHERE id = \(turn.id)")
            }
            var saved: [Label] = []
            for (draft, version) in QueueRules.versioned(drafts, editable: versions) {
                saved.append(try await Self.insert(session, draft, task: task, annotator: userId, privateTo: owner, version: version, at: at))
            }
            let previousIds = try superseded.map { JSONValue.number(Double(try $0.get("id", as: Int64.self))) }
            try await Self.audit(session, projectId: task.projectId, actor: userId, action: "labels.saved", entity: "task", entityId: taskId,
                                 before: .object(["labelIds": .array(previousIds)]),
                                 after: .object(["labelIds": .array(saved.map { .number(Double($0.id)) })]), at: at)
            return saved
        }
    }

    /// Stores a label as PostGIS geometry in the scene's CRS: the scene's EPSG code as its SRID, or 0 when it has none.
    static func insert(_ session: PostgresSession, _ draft: LabelDraft, task: LabelTask, annotator: UserID?, privateTo: UserID? = nil,
                       version: Int, at: Date) async throws -> Label {
        let attributes = try SQLiteStore.json(draft.attributes)
        guard let id = try await session.value(Int64.self, """
            INSERT INTO labels (project_id, scene_id, task_id, class_id, attributes, geometry, min_lon, min_lat, max_lon, max_lat,
                annotator_id, source, version, previous_id, seconds_spent, created_at, private_to, drawn_area)
            VALUES (\(task.projectId), \(task.sceneId), \(task.id), \(draft.classId), \(attributes),
                ST_GeomFromWKB(\(Data(draft.geometry.wkb)), COALESCE((SELECT epsg FROM scenes WHERE id = \(task.sceneId)), 0)::integer),
                \(draft.bboxWGS84[0]), \(draft.bboxWGS84[1]), \(draft.bboxWGS84[2]), \(draft.bboxWGS84[3]), \(annotator),
                \(draft.source.rawValue), \(version), \(draft.previousId), \(draft.secondsSpent), \(time(at)), \(privateTo), \(draft.drawnArea))
            RETURNING id
            """) else { throw StoreFailure("a new label got no id") }
        return Label(id: id, projectId: task.projectId, sceneId: task.sceneId, taskId: task.id, classId: draft.classId,
                     attributes: draft.attributes, geometry: draft.geometry, annotatorId: annotator, source: draft.source, version: version,
                     previousId: draft.previousId, secondsSpent: draft.secondsSpent, createdAt: at, drawnArea: draft.drawnArea)
    }

    public func labels(taskId: TaskID, privateTo: UserID?) async throws -> [Label] {
        try await read { session in
            try await session.rows("""
                SELECT \(unescaped: Self.labelColumns()) FROM labels
                WHERE task_id = \(taskId) AND superseded_at IS NULL AND private_to IS NOT DISTINCT FROM \(privateTo) ORDER BY id
                """).map(Self.label)
        }
    }

    public func labels(projectId: ProjectID, bbox: [Double]?, statuses: Set<TaskStatus>) async throws -> [Label] {
        try await labels(projectId: projectId, bbox: bbox, statuses: statuses, after: nil, limit: nil)
    }

    public func labels(projectId: ProjectID, bbox: [Double]?, statuses: Set<TaskStatus>, page: LabelPage) async throws -> [Label] {
        try await labels(projectId: projectId, bbox: bbox, statuses: statuses, after: page.after, limit: page.limit)
    }

    /// Current shared labels whose task is in one of `statuses`; with a bbox, the
    /// GiST index on the WGS84 footprint finds candidates and the exact bounds decide.
    private func labels(projectId: ProjectID, bbox: [Double]?, statuses: Set<TaskStatus>, after: LabelID?, limit: Int?) async throws -> [Label] {
        let names = statuses.map(\.rawValue).sorted()
        let box = bbox ?? []
        let hasBox = box.count == 4
        return try await read { session in
            try await session.rows("""
                SELECT \(unescaped: Self.labelColumns()) FROM labels JOIN tasks ON tasks.id = labels.task_id
                WHERE labels.project_id = \(projectId) AND labels.superseded_at IS NULL AND labels.private_to IS NULL
                    AND tasks.status = ANY(\(names))
                    AND (NOT \(hasBox) OR (labels.footprint && ST_MakeEnvelope(\(hasBox ? box[0] : 0), \(hasBox ? box[1] : 0),
                            \(hasBox ? box[2] : 0), \(hasBox ? box[3] : 0), 4326)
                        AND labels.max_lon >= \(hasBox ? box[0] : 0) AND labels.min_lon <= \(hasBox ? box[2] : 0)
                        AND labels.max_lat >= \(hasBox ? box[1] : 0) AND labels.min_lat <= \(hasBox ? box[3] : 0)))
                    AND labels.id > \(after ?? 0)
                ORDER BY labels.id LIMIT \(limit.map(Int64.init) ?? Int64.max)
                """).map(Self.label)
        }
    }

    public func addPreLabels(_ drafts: [LabelDraft], sceneId: SceneID, actor: UserID?, at: Date) async throws -> [Label] {
        try await write { session in
            var tasks: [TaskID: LabelTask] = [:]
            var saved: [Label] = []
            for draft in drafts {
                let task: LabelTask
                if let known = tasks[draft.taskId] {
                    task = known
                } else {
                    guard let row = try await session.row("SELECT * FROM tasks WHERE id = \(draft.taskId) AND scene_id = \(sceneId)") else {
                        throw LabelingError.notFound("task \(draft.taskId) is not a task of scene \(sceneId)")
                    }
                    task = try Self.task(row)
                    tasks[draft.taskId] = task
                }
                saved.append(try await Self.insert(session, draft, task: task, annotator: actor, version: 1, at: at))
            }
            if let projectId = tasks.values.first?.projectId {
                try await Self.audit(session, projectId: projectId, actor: actor, action: "labels.imported", entity: "scene", entityId: sceneId,
                                     after: .object(["labels": .number(Double(saved.count)), "tasks": .number(Double(tasks.count))]), at: at)
            }
            return saved
        }
    }
}
