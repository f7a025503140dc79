import Foundation
import PostgresNIO

/// A model's uncertainty per task: what an uncertainty-ordered queue serves first.
extension PostgresStore {
    /// As on SQLite: `uncertainty_rank` in hundredths, -1 when none is recorded.
    static let schemaV6 = """
        ALTER TABLE tasks ADD COLUMN uncertainty DOUBLE PRECISION;
        ALTER TABLE tasks ADD COLUMN uncertainty_rank BIGINT NOT NULL DEFAULT -1;
        CREATE INDEX tasks_uncertainty_queue ON tasks(project_id, uncertainty_rank, id) WHERE status = 'open' AND NOT gold;
        """

    public func setUncertainty(sceneId: SceneID, _ values: [TaskID: Double], model: String, actor: UserID?, at: Date) async throws -> Int {
        let sorted = values.sorted { $0.key < $1.key }
        let ids = sorted.map(\.key), uncertainties = sorted.map(\.value), ranks = sorted.map { Int64(QueueRules.uncertaintyRank($0.value)) }
        return try await write { session in
            guard let projectId = try await session.value(Int64.self, "SELECT project_id FROM scenes WHERE id = \(sceneId)") else {
                throw LabelingError.notFound("scene \(sceneId) not found")
            }
            // A new model's values replace the last one's: a task it did not score has none.
            try await session.run("UPDATE tasks SET uncertainty = NULL, uncertainty_rank = -1 WHERE scene_id = \(sceneId)")
            let updated = try await session.rows("""
                UPDATE tasks SET uncertainty = v.uncertainty, uncertainty_rank = v.rank
                FROM unnest(\(ids), \(uncertainties), \(ranks)) AS v(id, uncertainty, rank)
                WHERE tasks.id = v.id AND tasks.scene_id = \(sceneId)
                RETURNING tasks.id
                """).count
            try await Self.audit(session, projectId: projectId, actor: actor, action: "scene.uncertainty_scored", entity: "scene",
                                 entityId: sceneId, after: .object(["model": .string(model), "tasks": .number(Double(updated))]), at: at)
            return updated
        }
    }

    public func uncertainty(sceneId: SceneID) async throws -> [TaskID: Double] {
        try await read { session in
            var values: [TaskID: Double] = [:]
            for row in try await session.rows("SELECT id, uncertainty FROM tasks WHERE scene_id = \(sceneId) AND uncertainty IS NOT NULL") {
                values[try row.get("id", as: Int64.self)] = try row.get("uncertainty", as: Double.self)
            }
            return values
        }
    }
}
