import Foundation
import PostgresNIO
import SwathQuality

/// The index of registered shapes behind disguised-copy detection (see the SQLite store's twin for the layout).
extension PostgresStore {
    static let schemaV7 = """
        CREATE TABLE shape_signatures (
            label_id BIGINT PRIMARY KEY,
            project_id BIGINT NOT NULL,
            scene_id BIGINT NOT NULL,
            task_id BIGINT NOT NULL,
            user_id BIGINT NOT NULL,
            class_id BIGINT NOT NULL,
            area_bin BIGINT NOT NULL,
            standard BIGINT NOT NULL,
            signature BYTEA NOT NULL,
            created_at DOUBLE PRECISION NOT NULL
        );
        CREATE INDEX shape_signatures_distinct ON shape_signatures(area_bin) WHERE standard = 0;
        CREATE INDEX shape_signatures_task ON shape_signatures(task_id, user_id);
        CREATE TABLE shape_pairs (
            first_label BIGINT NOT NULL,
            second_label BIGINT NOT NULL,
            dx_bin BIGINT NOT NULL,
            dy_bin BIGINT NOT NULL,
            first_area_bin BIGINT NOT NULL,
            second_area_bin BIGINT NOT NULL,
            PRIMARY KEY (first_label, second_label)
        );
        CREATE INDEX shape_pairs_key ON shape_pairs(dx_bin, dy_bin, first_area_bin, second_area_bin);
        ALTER TABLE fingerprints ADD COLUMN reach_bucket BIGINT;
        ALTER TABLE fingerprints ADD COLUMN inner_bucket BIGINT;
        DROP INDEX fingerprints_shape;
        CREATE INDEX fingerprints_shape ON fingerprints(vertex_count, perimeter_bucket, reach_bucket, inner_bucket);
        """ + "\n" + historySchema + "\n" + referencesSchema

    static func insertShapes(_ session: PostgresSession, _ fingerprints: [StoredFingerprint], at: Date) async throws {
        let shapes = fingerprints.compactMap(\.indexedShape)
        for shape in shapes {
            let packed = shape.signature.packed.withUnsafeBytes { Data($0) }
            let areaBin = Int64(IndexedShape.areaBin(shape.signature.area)), standard: Int64 = shape.signature.isStandard ? 1 : 0
            try await session.run("""
                INSERT INTO shape_signatures (label_id, project_id, scene_id, task_id, user_id, class_id, area_bin, standard, signature, created_at)
                VALUES (\(shape.labelId), \(shape.projectId), \(shape.sceneId), \(shape.taskId), \(shape.userId), \(Int64(shape.classId)), \(areaBin), \(standard),
                    \(packed), \(time(at)))
                ON CONFLICT (label_id) DO UPDATE SET area_bin = EXCLUDED.area_bin, standard = EXCLUDED.standard, signature = EXCLUDED.signature
                """)
        }
        for group in Dictionary(grouping: shapes, by: { [$0.taskId, $0.userId] }).values {
            for (first, second) in ShapePairKey.pairs(group.map(\.signature)) {
                let key = ShapePairKey(from: group[first].signature, to: group[second].signature)
                try await session.run("""
                    INSERT INTO shape_pairs (first_label, second_label, dx_bin, dy_bin, first_area_bin, second_area_bin)
                    VALUES (\(group[first].labelId), \(group[second].labelId), \(Int64(key.dxBin)), \(Int64(key.dyBin)),
                        \(Int64(key.firstAreaBin)), \(Int64(key.secondAreaBin)))
                    ON CONFLICT DO NOTHING
                    """)
            }
        }
    }

    public func distinctShapes(areaBins: ClosedRange<Int>) async throws -> [IndexedShape] {
        try await read { session in
            try await session.rows("""
                SELECT * FROM shape_signatures WHERE standard = 0
                    AND area_bin BETWEEN \(Int64(areaBins.lowerBound)) AND \(Int64(areaBins.upperBound)) ORDER BY label_id
                """).compactMap(Self.indexedShape)
        }
    }

    /// The pairs' labels first (integers off the key's index), then each label's signature once.
    public func shapePairs(near keys: [ShapePairKey]) async throws -> [IndexedShape] {
        guard !keys.isEmpty else { return [] }
        return try await read { session in
            var labels = Set<Int64>()
            for key in keys {
                let near = key.neighbourhood
                let rows = try await session.rows("""
                    SELECT first_label, second_label FROM shape_pairs
                    WHERE dx_bin = ANY(\(near.dx.map(Int64.init))) AND dy_bin = ANY(\(near.dy.map(Int64.init)))
                        AND first_area_bin = ANY(\(near.first.map(Int64.init)))
                        AND second_area_bin BETWEEN \(Int64(near.second.lowerBound)) AND \(Int64(near.second.upperBound))
                    """)
                for row in rows {
                    labels.insert(try row.get("first_label", as: Int64.self))
                    labels.insert(try row.get("second_label", as: Int64.self))
                }
            }
            guard !labels.isEmpty else { return [] }
            return try await session.rows("SELECT * FROM shape_signatures WHERE label_id = ANY(\(labels.sorted())) ORDER BY label_id")
                .compactMap(Self.indexedShape)
        }
    }

    public func shapes(taskId: TaskID, userId: UserID) async throws -> [IndexedShape] {
        try await read { session in
            try await session.rows("SELECT * FROM shape_signatures WHERE task_id = \(taskId) AND user_id = \(userId) ORDER BY label_id")
                .compactMap(Self.indexedShape)
        }
    }

    static func indexedShape(_ row: PostgresRandomAccessRow) throws -> IndexedShape? {
        let numbers = try row.get("signature", as: Data.self).withUnsafeBytes { Array($0.bindMemory(to: Double.self)) }
        guard let signature = ShapeSignature(packed: numbers) else { return nil }
        return IndexedShape(labelId: try row.get("label_id"), projectId: try row.get("project_id"), sceneId: try row.get("scene_id"),
                            taskId: try row.get("task_id"), userId: try row.get("user_id"),
                            classId: Int(try row.get("class_id", as: Int64.self)), signature: signature)
    }
}
