import Foundation
import PostgresNIO

extension PostgresStore {
    public func createScene(_ draft: SceneDraft, tasks: [TaskDraft], actor: UserID?, at: Date) async throws -> Scene {
        let geoTransform = try SQLiteStore.json(draft.geoTransform)
        let bandRoles = try SQLiteStore.json(draft.bandRoles)
        let footprints = try tasks.map { try SQLiteStore.json($0.footprintWGS84) }
        return try await write { session in
            // KEY SHARE conflicts with a settings change (FOR UPDATE) but not with the version bump of other
            // writers (no deadlock on upgrade). A settings change that
            // counts the project's scenes waits for this one, so the tile-grid freeze sees it.
            guard try await session.row("SELECT id FROM projects WHERE id = \(draft.projectId) FOR KEY SHARE") != nil
            else { throw LabelingError.notFound("project \(draft.projectId) not found") }
            guard let sceneId = try await session.value(Int64.self, """
                INSERT INTO scenes (project_id, uri, crs_wkt, epsg, geotransform, width, height, band_count, data_type,
                    acquired_at, sensor, band_roles, pre_event_scene_id, tile_size, overlap, min_lon, min_lat, max_lon, max_lat, created_at)
                VALUES (\(draft.projectId), \(draft.uri), \(draft.crsWKT), \(draft.epsg), \(geoTransform), \(draft.width), \(draft.height),
                    \(draft.bandCount), \(draft.dataType), \(draft.acquiredAt.map(Self.time)), \(draft.sensor), \(bandRoles),
                    \(draft.preEventSceneId), \(draft.tileSize), \(draft.overlap), \(draft.bboxWGS84[0]), \(draft.bboxWGS84[1]),
                    \(draft.bboxWGS84[2]), \(draft.bboxWGS84[3]), \(Self.time(at)))
                RETURNING id
                """) else { throw StoreFailure("\(self.location): a new scene got no id") }
            try await Self.insertTasks(session, tasks, footprints: footprints, projectId: draft.projectId, sceneId: sceneId, at: at)
            try await Self.audit(session, projectId: draft.projectId, actor: actor, action: "scene.registered", entity: "scene",
                                 entityId: sceneId, after: .object(["uri": .string(draft.uri), "tasks": .number(Double(tasks.count))]), at: at)
            guard let row = try await session.row("SELECT * FROM scenes WHERE id = \(sceneId)") else {
                throw LabelingError.notFound("scene \(sceneId) was not stored")
            }
            return try Self.scene(row)
        }
    }

    /// The scene's tasks in array-bound batches: one statement per thousand tasks, not one per task.
    private static func insertTasks(_ session: PostgresSession, _ tasks: [TaskDraft], footprints: [String], projectId: ProjectID,
                                    sceneId: SceneID, at: Date) async throws {
        for start in stride(from: 0, to: tasks.count, by: 1000) {
            let batch = Array(tasks[start..<min(start + 1000, tasks.count)])
            let prints = Array(footprints[start..<min(start + 1000, tasks.count)])
            try await session.run("""
                INSERT INTO tasks (project_id, scene_id, col, "row", width, height, footprint, min_lon, min_lat, max_lon, max_lat,
                    priority, updated_at)
                SELECT \(projectId), \(sceneId), t.col, t.r, t.w, t.h, t.footprint, t.min_lon, t.min_lat, t.max_lon, t.max_lat, t.priority,
                    \(time(at))
                FROM unnest(\(batch.map { $0.window.col }), \(batch.map { $0.window.row }), \(batch.map { $0.window.width }),
                    \(batch.map { $0.window.height }), \(prints), \(batch.map { $0.bboxWGS84[0] }), \(batch.map { $0.bboxWGS84[1] }),
                    \(batch.map { $0.bboxWGS84[2] }), \(batch.map { $0.bboxWGS84[3] }), \(batch.map(\.priority)))
                    WITH ORDINALITY AS t(col, r, w, h, footprint, min_lon, min_lat, max_lon, max_lat, priority, n)
                ORDER BY t.n
                """)
        }
    }

    public func scene(id: SceneID) async throws -> Scene? {
        try await read { session in try await session.row("SELECT * FROM scenes WHERE id = \(id)").map(Self.scene) }
    }

    public func scenes(projectId: ProjectID) async throws -> [Scene] {
        try await read { session in
            try await session.rows("SELECT * FROM scenes WHERE project_id = \(projectId) ORDER BY id").map(Self.scene)
        }
    }

    public func task(id: TaskID) async throws -> LabelTask? {
        try await read { session in try await session.row("SELECT * FROM tasks WHERE id = \(id)").map(Self.task) }
    }

    public func taskAccess(taskId: TaskID, userId: UserID) async throws -> (task: LabelTask, roles: Set<Role>)? {
        let found = try await read { session -> (LabelTask, [String])? in
            guard let row = try await session.row("""
                SELECT tasks.*, ARRAY(SELECT role FROM memberships m WHERE m.project_id = tasks.project_id AND m.user_id = \(userId)) AS roles
                FROM tasks WHERE id = \(taskId)
                """) else { return nil }
            return (try Self.task(row), try row.get("roles", as: [String].self))
        }
        return found.map { ($0.0, Set($0.1.compactMap(Role.init(rawValue:)))) }
    }

    public func tasks(sceneId: SceneID) async throws -> [LabelTask] {
        try await read { session in try await session.rows("SELECT * FROM tasks WHERE scene_id = \(sceneId) ORDER BY id").map(Self.task) }
    }

    public func tasks(projectId: ProjectID, status: TaskStatus, limit: Int) async throws -> [LabelTask] {
        try await read { session in
            try await session.rows("""
                SELECT * FROM tasks WHERE project_id = \(projectId) AND status = \(status.rawValue) ORDER BY updated_at, id LIMIT \(limit)
                """).map(Self.task)
        }
    }
}
