import Foundation
import GRDB

/// A model's uncertainty per task: what an uncertainty-ordered queue serves first.
extension SQLiteStore {
    /// `uncertainty_rank` is the uncertainty in hundredths (-1: none recorded), so equal ranks are
    /// "equally uncertain" and a claim picks at random among them, as it does among equal priorities.
    static let uncertaintySchema = """
        ALTER TABLE tasks ADD COLUMN uncertainty REAL;
        ALTER TABLE tasks ADD COLUMN uncertainty_rank INTEGER NOT NULL DEFAULT -1;
        CREATE INDEX tasks_uncertainty_queue ON tasks(project_id, uncertainty_rank, id) WHERE status = 'open' AND gold = 0;
        """

    public func setUncertainty(sceneId: SceneID, _ values: [TaskID: Double], model: String, actor: UserID?, at: Date) async throws -> Int {
        try await write { db in
            guard let projectId = try db.value(Int64.self, "SELECT project_id FROM scenes WHERE id = ?", arguments: [sceneId]) else {
                throw LabelingError.notFound("scene \(sceneId) not found")
            }
            // A new model's values replace the last one's: a task it did not score has none.
            try db.run("UPDATE tasks SET uncertainty = NULL, uncertainty_rank = -1 WHERE scene_id = ?", arguments: [sceneId])
            var updated = 0
            for (taskId, value) in values.sorted(by: { $0.key < $1.key }) {
                try db.run("UPDATE tasks SET uncertainty = ?, uncertainty_rank = ? WHERE id = ? AND scene_id = ?",
                           arguments: [value, QueueRules.uncertaintyRank(value), taskId, sceneId])
                updated += db.changesCount
            }
            try Self.audit(db, projectId: projectId, actor: actor, action: "scene.uncertainty_scored", entity: "scene", entityId: sceneId,
                           after: .object(["model": .string(model), "tasks": .number(Double(updated))]), at: at)
            return updated
        }
    }

    public func uncertainty(sceneId: SceneID) async throws -> [TaskID: Double] {
        try await pool.read { db in
            var values: [TaskID: Double] = [:]
            for row in try db.rows("SELECT id, uncertainty FROM tasks WHERE scene_id = ? AND uncertainty IS NOT NULL", arguments: [sceneId]) {
                values[row["id"]] = row["uncertainty"]
            }
            return values
        }
    }
}
