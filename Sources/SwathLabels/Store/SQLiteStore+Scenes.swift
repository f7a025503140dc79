import Foundation
import GRDB

extension SQLiteStore {
    public func createScene(_ draft: SceneDraft, tasks: [TaskDraft], actor: UserID?, at: Date) async throws -> Scene {
        try await write { db in
            try db.run("""
                INSERT INTO scenes (project_id, uri, crs_wkt, epsg, geotransform, width, height, band_count, data_type,
                    acquired_at, sensor, band_roles, pre_event_scene_id, tile_size, overlap,
                    min_lon, min_lat, max_lon, max_lat, created_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [
                    draft.projectId, draft.uri, draft.crsWKT, draft.epsg, try Self.json(draft.geoTransform), draft.width, draft.height,
                    draft.bandCount, draft.dataType, draft.acquiredAt.map(Self.time), draft.sensor, try Self.json(draft.bandRoles),
                    draft.preEventSceneId, draft.tileSize, draft.overlap,
                    draft.bboxWGS84[0], draft.bboxWGS84[1], draft.bboxWGS84[2], draft.bboxWGS84[3], Self.time(at),
                ])
            let sceneId = db.lastInsertedRowID
            let insert = try db.makeStatement(sql: """
                INSERT INTO tasks (project_id, scene_id, col, row, width, height, footprint, min_lon, min_lat, max_lon, max_lat,
                    priority, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """)
            for task in tasks {
                try insert.execute(arguments: [
                    draft.projectId, sceneId, task.window.col, task.window.row, task.window.width, task.window.height,
                    try Self.json(task.footprintWGS84), task.bboxWGS84[0], task.bboxWGS84[1], task.bboxWGS84[2], task.bboxWGS84[3],
                    task.priority, Self.time(at),
                ])
            }
            try Self.audit(db, projectId: draft.projectId, actor: actor, action: "scene.registered", entity: "scene", entityId: sceneId,
                           after: .object(["uri": .string(draft.uri), "tasks": .number(Double(tasks.count))]), at: at)
            guard let row = try db.row("SELECT * FROM scenes WHERE id = ?", arguments: [sceneId]) else {
                throw LabelingError.notFound("scene \(sceneId) was not stored")
            }
            return try Self.scene(row)
        }
    }

    public func scene(id: SceneID) async throws -> Scene? {
        try await pool.read { db in
            try db.row("SELECT * FROM scenes WHERE id = ?", arguments: [id]).map(Self.scene)
        }
    }

    public func scenes(projectId: ProjectID) async throws -> [Scene] {
        try await pool.read { db in
            try db.rows("SELECT * FROM scenes WHERE project_id = ? ORDER BY id", arguments: [projectId]).map(Self.scene)
        }
    }

    public func task(id: TaskID) async throws -> LabelTask? {
        try await pool.read { db in
            try db.row("SELECT * FROM tasks WHERE id = ?", arguments: [id]).map(Self.task)
        }
    }

    public func taskAccess(taskId: TaskID, userId: UserID) async throws -> (task: LabelTask, roles: Set<Role>)? {
        try await pool.read { db in
            guard let row = try db.row("SELECT * FROM tasks WHERE id = ?", arguments: [taskId]) else { return nil }
            let task = try Self.task(row)
            let names = try db.values(String.self, "SELECT role FROM memberships WHERE user_id = ? AND project_id = ?",
                                      arguments: [userId, task.projectId])
            return (task, Set(names.compactMap(Role.init(rawValue:))))
        }
    }

    public func tasks(sceneId: SceneID) async throws -> [LabelTask] {
        try await pool.read { db in
            try db.rows("SELECT * FROM tasks WHERE scene_id = ? ORDER BY id", arguments: [sceneId]).map(Self.task)
        }
    }
}
