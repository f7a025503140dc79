import Foundation
import PostgresNIO
import SwathQuality

/// One annotator's record, for the sleeper check, and the gold rate adaptive gold sets them.
extension PostgresStore {
    static let historySchema = """
        CREATE INDEX pair_agreements_first ON pair_agreements(project_id, first_user);
        CREATE INDEX pair_agreements_second ON pair_agreements(project_id, second_user);
        CREATE TABLE adaptive_gold (
            project_id BIGINT NOT NULL REFERENCES projects(id),
            user_id BIGINT NOT NULL REFERENCES users(id),
            gold_rate DOUBLE PRECISION NOT NULL,
            updated_at DOUBLE PRECISION NOT NULL,
            PRIMARY KEY (project_id, user_id)
        );
        """

    public func annotatorHistory(projectId: ProjectID, userId: UserID) async throws -> AnnotatorHistory {
        try await read { session in
            let turns = try await session.rows("""
                SELECT task_id, submitted_at FROM assignments WHERE user_id = \(userId) AND project_id = \(projectId) AND status = 'submitted'
                    AND submitted_at IS NOT NULL ORDER BY submitted_at, id
                """).map { (taskId: try $0.get("task_id", as: TaskID.self), submittedAt: Self.date(try $0.get("submitted_at", as: Double.self))) }
            let pairs = try await session.rows("""
                SELECT * FROM pair_agreements WHERE project_id = \(projectId) AND first_user = \(userId)
                UNION ALL SELECT * FROM pair_agreements WHERE project_id = \(projectId) AND second_user = \(userId)
                """).map(Self.pairAgreement)
            let flags = try await session.rows("SELECT * FROM integrity_flags WHERE project_id = \(projectId) AND user_id = \(userId) ORDER BY id")
                .compactMap(Self.flag)
            let gold = try await session.rows("SELECT * FROM gold_results WHERE project_id = \(projectId) AND user_id = \(userId) ORDER BY id").map { row in
                GoldResult(projectId: try row.get("project_id"), userId: try row.get("user_id"), taskId: try row.get("task_id"),
                           f1: try row.get("f1"), boundaryF1: try row.get("boundary_f1"), createdAt: Self.date(try row.get("created_at")))
            }
            let distrusted = try await session.values(Int64.self, """
                SELECT DISTINCT user_id FROM integrity_flags WHERE project_id = \(projectId) AND kind IN ('copied_geometry', 'copied_reference', 'machine_made', 'collusion', 'quality_shift')
                """)
            let others = try await session.rows("""
                SELECT DISTINCT f.task_id, f.user_id FROM integrity_flags f JOIN assignments a ON a.task_id = f.task_id
                WHERE a.user_id = \(userId) AND a.project_id = \(projectId) AND f.user_id != \(userId) AND f.task_id IS NOT NULL
                """).map { [try $0.get("task_id", as: Int64.self), try $0.get("user_id", as: Int64.self)] }
            return AnnotatorHistory(turns: turns, pairs: pairs, flags: flags, gold: gold, distrusted: Set(distrusted), flaggedOnTask: Set(others))
        }
    }

    public func flags(projectId: ProjectID, userId: UserID) async throws -> [FlagRecord] {
        try await read { session in
            try await session.rows("SELECT * FROM integrity_flags WHERE project_id = \(projectId) AND user_id = \(userId) ORDER BY id")
                .compactMap(Self.flag)
        }
    }

    static func pairAgreement(_ row: PostgresRandomAccessRow) throws -> PairAgreement {
        PairAgreement(taskId: try row.get("task_id"), firstUser: try row.get("first_user"), secondUser: try row.get("second_user"),
                      agreement: ClassAgreement(classId: try row.get("class_id"), matched: try row.get("matched"),
                                                onlyFirst: try row.get("only_first"), onlySecond: try row.get("only_second"),
                                                meanMatchedIoU: try row.get("mean_matched_iou"), regionIoU: try row.get("region_iou"),
                                                areaAgreement: try row.get("area_agreement")))
    }

    public func adaptiveGoldRate(projectId: ProjectID, userId: UserID) async throws -> Double? {
        try await read { session in
            try await session.value(Double.self, "SELECT gold_rate FROM adaptive_gold WHERE project_id = \(projectId) AND user_id = \(userId)")
        }
    }

    public func setAdaptiveGoldRate(projectId: ProjectID, userId: UserID, rate: Double?, at: Date) async throws {
        try await write { session in
            if let rate {
                try await session.run("""
                    INSERT INTO adaptive_gold (project_id, user_id, gold_rate, updated_at) VALUES (\(projectId), \(userId), \(rate), \(Self.time(at)))
                    ON CONFLICT (project_id, user_id) DO UPDATE SET gold_rate = EXCLUDED.gold_rate, updated_at = EXCLUDED.updated_at
                    """)
            } else {
                try await session.run("DELETE FROM adaptive_gold WHERE project_id = \(projectId) AND user_id = \(userId)")
            }
        }
    }
}
