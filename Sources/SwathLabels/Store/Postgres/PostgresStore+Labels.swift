import Foundation
import PostgresNIO
import SwathGeo

extension PostgresStore {
    public func replaceLabels(taskId: TaskID, userId: UserID, labels drafts: [LabelDraft], at: Date) async throws -> [Label] {
        let save: @Sendable (PostgresSession) async throws -> [Label] = { session in
            let lease = try await Self.lease(session, taskId: taskId, userId: userId, at: at)
            // On a turn of their own, an annotator replaces only their own set; they may edit the shared pre-labels into it.
            let owner: UserID? = lease.turn == nil ? nil : userId
            let firstSave = lease.turn.flatMap { $0.savedAt == nil ? $0.id : nil }
            let rows = try await session.rows(Self.replacement(of: drafts, task: lease.task, annotator: userId, owner: owner,
                                                               firstSaveOfTurn: firstSave, at: at))
            guard rows.count == drafts.count else { throw StoreFailure("a save stored \(rows.count) of \(drafts.count) labels") }
            return try zip(drafts, rows).map { draft, row in
                Label(id: try row.get("id"), projectId: lease.task.projectId, sceneId: lease.task.sceneId, taskId: taskId,
                      classId: draft.classId, attributes: draft.attributes, geometry: draft.geometry, annotatorId: userId,
                      source: draft.source, version: try row.get("version", as: Int.self), previousId: try row.get("previous_id"),
                      secondsSpent: draft.secondsSpent, createdAt: at, drawnArea: draft.drawnArea)
            }
        }
        // Saves of one task share a lane: they lock the same task row.
        if let saveGroup { return try await grouped(saveGroup, key: taskId, save) }
        return try await write(save)
    }

    /// A save after its lease check, in one round trip (the hot path of the API),
    /// by `swath_replace_labels` (schema v3): the caller's current set is
    /// superseded, the drafts inserted with their versions, the turn marked
    /// saved, the audit event written and the project version moved on. The
    /// lease check before it locked the task row, so its snapshot already sees
    /// every earlier save of the task.
    ///
    /// Versions follow `QueueRules.versioned`: one more than the edited label
    /// when it is one the caller may edit (their superseded set, or the shared
    /// pre-labels on a turn), else 1 with the `previousId` dropped; the contract
    /// suite holds both stores to it. New ids are drawn in the drafts' order,
    /// and the rows come back in it. Optional values travel as sentinels
    /// (arrays cannot hold NULL here): no previous label is 0, no drawn area NaN.
    static func replacement(of drafts: [LabelDraft], task: LabelTask, annotator: UserID, owner: UserID?, firstSaveOfTurn: Int64?,
                            at: Date) throws -> PostgresQuery {
        guard drafts.allSatisfy({ $0.bboxWGS84.count == 4 }) else { throw StoreFailure("a label's WGS84 bbox needs 4 numbers") }
        let attributes = try drafts.map { try SQLiteStore.json($0.attributes) }
        let wkb = drafts.map { ByteBuffer(bytes: $0.geometry.wkb) }
        let bbox = (0..<4).map { corner in drafts.map { $0.bboxWGS84[corner] } }
        return """
            SELECT label_id AS id, kept_previous_id AS previous_id, label_version AS version FROM swath_replace_labels(
                \(task.projectId), \(task.sceneId), \(task.id), \(annotator), \(owner), \(firstSaveOfTurn), \(time(at)),
                \(drafts.map { Int64($0.classId) }), \(attributes), \(wkb), \(bbox[0]), \(bbox[1]), \(bbox[2]), \(bbox[3]),
                \(drafts.map(\.source.rawValue)), \(drafts.map { $0.previousId ?? 0 }), \(drafts.map(\.secondsSpent)),
                \(drafts.map { $0.drawnArea ?? .nan }))
            """
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
                    AND (NOT \(hasBox) OR (
                        -- A label across the antimeridian keeps west > east: its envelope is the wrong half of the world,
                        -- so the index only screens the others and the bounds decide.
                        (labels.min_lon > labels.max_lon OR labels.footprint && ST_MakeEnvelope(\(hasBox ? box[0] : 0), \(hasBox ? box[1] : 0),
                            \(hasBox ? box[2] : 0), \(hasBox ? box[3] : 0), 4326))
                        AND ((labels.min_lon <= labels.max_lon AND labels.max_lon >= \(hasBox ? box[0] : 0) AND labels.min_lon <= \(hasBox ? box[2] : 0))
                             OR (labels.min_lon > labels.max_lon AND (labels.min_lon <= \(hasBox ? box[2] : 0) OR labels.max_lon >= \(hasBox ? box[0] : 0))))
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
