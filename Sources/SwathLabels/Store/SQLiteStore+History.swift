import Foundation
import GRDB
import SwathQuality

/// One annotator's record, for the sleeper check, and the gold rate adaptive gold sets them.
extension SQLiteStore {
    static let historySchema = """
        CREATE INDEX pair_agreements_first ON pair_agreements(project_id, first_user);
        CREATE INDEX pair_agreements_second ON pair_agreements(project_id, second_user);
        CREATE TABLE adaptive_gold (
            project_id INTEGER NOT NULL REFERENCES projects(id),
            user_id INTEGER NOT NULL REFERENCES users(id),
            gold_rate REAL NOT NULL,
            updated_at REAL NOT NULL,
            PRIMARY KEY (project_id, user_id)
        );
        """

    public func annotatorHistory(projectId: ProjectID, userId: UserID) async throws -> AnnotatorHistory {
        try await pool.read { db in
            let turns = try db.rows("""
                SELECT task_id, submitted_at FROM assignments WHERE user_id = ? AND project_id = ? AND status = 'submitted'
                    AND submitted_at IS NOT NULL ORDER BY submitted_at, id
                """, arguments: [userId, projectId]).map { (taskId: $0["task_id"] as TaskID, submittedAt: Self.date($0["submitted_at"] as Double)) }
            let pairs = try db.rows("""
                SELECT * FROM pair_agreements WHERE project_id = ? AND first_user = ?
                UNION ALL SELECT * FROM pair_agreements WHERE project_id = ? AND second_user = ?
                """, arguments: [projectId, userId, projectId, userId]).map(Self.pairAgreement)
            let flags = try db.rows("SELECT * FROM integrity_flags WHERE project_id = ? AND user_id = ? ORDER BY id",
                                    arguments: [projectId, userId]).compactMap(Self.flag)
            let gold = try db.rows("SELECT * FROM gold_results WHERE project_id = ? AND user_id = ? ORDER BY id",
                                   arguments: [projectId, userId]).map { row in
                GoldResult(projectId: row["project_id"], userId: row["user_id"], taskId: row["task_id"], f1: row["f1"],
                           boundaryF1: row["boundary_f1"], createdAt: Self.date(row["created_at"] as Double))
            }
            let distrusted = try db.values(Int64.self, "SELECT DISTINCT user_id FROM integrity_flags WHERE project_id = ? AND kind IN ('copied_geometry', 'copied_reference', 'machine_made', 'collusion', 'quality_shift')",
                                           arguments: [projectId])
            let others = try db.rows("""
                SELECT DISTINCT f.task_id, f.user_id FROM integrity_flags f JOIN assignments a ON a.task_id = f.task_id
                WHERE a.user_id = ? AND a.project_id = ? AND f.user_id != ? AND f.task_id IS NOT NULL
                """, arguments: [userId, projectId, userId]).map { [$0["task_id"] as Int64, $0["user_id"] as Int64] }
            return AnnotatorHistory(turns: turns, pairs: pairs, flags: flags, gold: gold, distrusted: Set(distrusted), flaggedOnTask: Set(others))
        }
    }

    public func flags(projectId: ProjectID, userId: UserID) async throws -> [FlagRecord] {
        try await pool.read { db in
            try db.rows("SELECT * FROM integrity_flags WHERE project_id = ? AND user_id = ? ORDER BY id", arguments: [projectId, userId])
                .compactMap(Self.flag)
        }
    }

    static func pairAgreement(_ row: Row) -> PairAgreement {
        PairAgreement(taskId: row["task_id"], firstUser: row["first_user"], secondUser: row["second_user"],
                      agreement: ClassAgreement(classId: row["class_id"], matched: row["matched"], onlyFirst: row["only_first"],
                                                onlySecond: row["only_second"], meanMatchedIoU: row["mean_matched_iou"],
                                                regionIoU: row["region_iou"], areaAgreement: row["area_agreement"]))
    }

    public func adaptiveGoldRate(projectId: ProjectID, userId: UserID) async throws -> Double? {
        try await pool.read { db in
            try db.value(Double.self, "SELECT gold_rate FROM adaptive_gold WHERE project_id = ? AND user_id = ?", arguments: [projectId, userId])
        }
    }

    public func setAdaptiveGoldRate(projectId: ProjectID, userId: UserID, rate: Double?, at: Date) async throws {
        try await write { db in
            if let rate {
                try db.run("""
                    INSERT INTO adaptive_gold (project_id, user_id, gold_rate, updated_at) VALUES (?, ?, ?, ?)
                    ON CONFLICT (project_id, user_id) DO UPDATE SET gold_rate = excluded.gold_rate, updated_at = excluded.updated_at
                    """, arguments: [projectId, userId, rate, Self.time(at)])
            } else {
                try db.run("DELETE FROM adaptive_gold WHERE project_id = ? AND user_id = ?", arguments: [projectId, userId])
            }
        }
    }
}
