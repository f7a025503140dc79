import Foundation
import GRDB
import SwathQuality

/// The index of registered shapes behind disguised-copy detection: one row
/// per submitted outline, and one per pair of nearby outlines of a
/// submission, keyed so a lookup reads only its neighbourhood.
extension SQLiteStore {
    static let shapesSchema = """
        CREATE TABLE shape_signatures (
            label_id INTEGER PRIMARY KEY,
            project_id INTEGER NOT NULL,
            scene_id INTEGER NOT NULL,
            task_id INTEGER NOT NULL,
            user_id INTEGER NOT NULL,
            class_id INTEGER NOT NULL,
            area_bin INTEGER NOT NULL,
            standard INTEGER NOT NULL,
            signature BLOB NOT NULL,
            created_at REAL NOT NULL
        );
        CREATE INDEX shape_signatures_distinct ON shape_signatures(area_bin) WHERE standard = 0;
        CREATE INDEX shape_signatures_task ON shape_signatures(task_id, user_id);
        CREATE TABLE shape_pairs (
            first_label INTEGER NOT NULL,
            second_label INTEGER NOT NULL,
            dx_bin INTEGER NOT NULL,
            dy_bin INTEGER NOT NULL,
            first_area_bin INTEGER NOT NULL,
            second_area_bin INTEGER NOT NULL,
            PRIMARY KEY (first_label, second_label)
        ) WITHOUT ROWID;
        CREATE INDEX shape_pairs_key ON shape_pairs(dx_bin, dy_bin, first_area_bin, second_area_bin);
        ALTER TABLE fingerprints ADD COLUMN reach_bucket INTEGER;
        ALTER TABLE fingerprints ADD COLUMN inner_bucket INTEGER;
        DROP INDEX fingerprints_shape;
        CREATE INDEX fingerprints_shape ON fingerprints(vertex_count, perimeter_bucket, reach_bucket, inner_bucket);
        """

    /// Rows for the shapes among `fingerprints`, and for their pairs within each submission.
    static func insertShapes(_ db: Database, _ fingerprints: [StoredFingerprint], at: Date) throws {
        let shapes = fingerprints.compactMap(\.indexedShape)
        for shape in shapes {
            try db.run("""
                INSERT OR REPLACE INTO shape_signatures (label_id, project_id, scene_id, task_id, user_id, class_id, area_bin, standard, signature, created_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [shape.labelId, shape.projectId, shape.sceneId, shape.taskId, shape.userId, shape.classId,
                                 IndexedShape.areaBin(shape.signature.area), shape.signature.isStandard ? 1 : 0,
                                 shape.signature.packed.withUnsafeBytes { Data($0) }, Self.time(at)])
        }
        for group in Dictionary(grouping: shapes, by: { [$0.taskId, $0.userId] }).values {
            for (first, second) in ShapePairKey.pairs(group.map(\.signature)) {
                let key = ShapePairKey(from: group[first].signature, to: group[second].signature)
                try db.run("""
                    INSERT OR REPLACE INTO shape_pairs (first_label, second_label, dx_bin, dy_bin, first_area_bin, second_area_bin)
                    VALUES (?, ?, ?, ?, ?, ?)
                    """, arguments: [group[first].labelId, group[second].labelId, key.dxBin, key.dyBin, key.firstAreaBin, key.secondAreaBin])
            }
        }
    }

    public func distinctShapes(areaBins: ClosedRange<Int>) async throws -> [IndexedShape] {
        try await pool.read { db in
            try db.rows("SELECT \(Self.shapeColumns) FROM shape_signatures WHERE standard = 0 AND area_bin BETWEEN ? AND ? ORDER BY label_id",
                        arguments: [areaBins.lowerBound, areaBins.upperBound]).compactMap(Self.indexedShape)
        }
    }

    /// The pairs' labels first (integers off the key's index), then each label's signature once.
    public func shapePairs(near keys: [ShapePairKey]) async throws -> [IndexedShape] {
        guard !keys.isEmpty else { return [] }
        return try await pool.read { db in
            var labels = Set<Int64>()
            for key in keys {
                let near = key.neighbourhood
                let rows = try db.rows("""
                    SELECT first_label, second_label FROM shape_pairs
                    WHERE dx_bin IN (?, ?, ?) AND dy_bin IN (?, ?, ?) AND first_area_bin IN (?, ?, ?) AND second_area_bin BETWEEN ? AND ?
                    """, arguments: StatementArguments(Array(near.dx) + Array(near.dy) + Array(near.first)
                                                       + [near.second.lowerBound, near.second.upperBound]))
                for row in rows { labels.insert(row[0]); labels.insert(row[1]) }
            }
            var found: [IndexedShape] = []
            let sorted = labels.sorted()
            for start in stride(from: 0, to: sorted.count, by: 500) {
                let chunk = Array(sorted[start..<min(sorted.count, start + 500)])
                let marks = Array(repeating: "?", count: chunk.count).joined(separator: ", ")
                found += try db.rows("SELECT \(Self.shapeColumns) FROM shape_signatures WHERE label_id IN (\(marks)) ORDER BY label_id",
                                     arguments: StatementArguments(chunk)).compactMap(Self.indexedShape)
            }
            return found
        }
    }

    public func shapes(taskId: TaskID, userId: UserID) async throws -> [IndexedShape] {
        try await pool.read { db in
            try db.rows("SELECT \(Self.shapeColumns) FROM shape_signatures WHERE task_id = ? AND user_id = ? ORDER BY label_id",
                        arguments: [taskId, userId]).compactMap(Self.indexedShape)
        }
    }

    /// The columns `indexedShape` reads, in its order (by position: a name lookup per column per row costs more than the decoding).
    static let shapeColumns = "label_id, project_id, scene_id, task_id, user_id, class_id, signature"

    static func indexedShape(_ row: Row) -> IndexedShape? {
        let numbers = (row[6] as Data).withUnsafeBytes { Array($0.bindMemory(to: Double.self)) }
        guard let signature = ShapeSignature(packed: numbers) else { return nil }
        return IndexedShape(labelId: row[0], projectId: row[1], sceneId: row[2], taskId: row[3], userId: row[4], classId: row[5], signature: signature)
    }
}
