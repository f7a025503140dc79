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
            try db.rows("SELECT * FROM shape_signatures WHERE standard = 0 AND area_bin BETWEEN ? AND ? ORDER BY label_id",
                        arguments: [areaBins.lowerBound, areaBins.upperBound]).compactMap(Self.indexedShape)
        }
    }

    public func shapePairs(near keys: [ShapePairKey]) async throws -> [IndexedShape] {
        guard !keys.isEmpty else { return [] }
        return try await pool.read { db in
            var found: [Int64: IndexedShape] = [:]
            for key in keys {
                let near = key.neighbourhood
                let rows = try db.rows("""
                    SELECT s.* FROM shape_pairs p JOIN shape_signatures s ON s.label_id IN (p.first_label, p.second_label)
                    WHERE p.dx_bin IN (?, ?, ?) AND p.dy_bin IN (?, ?, ?) AND p.first_area_bin IN (?, ?, ?)
                        AND p.second_area_bin BETWEEN ? AND ?
                    """, arguments: StatementArguments(Array(near.dx) + Array(near.dy) + Array(near.first)
                                                       + [near.second.lowerBound, near.second.upperBound]))
                for row in rows { if let shape = Self.indexedShape(row) { found[shape.labelId] = shape } }
            }
            return found.values.sorted { $0.labelId < $1.labelId }
        }
    }

    static func indexedShape(_ row: Row) -> IndexedShape? {
        let numbers = (row["signature"] as Data).withUnsafeBytes { Array($0.bindMemory(to: Double.self)) }
        guard let signature = ShapeSignature(packed: numbers) else { return nil }
        return IndexedShape(labelId: row["label_id"], projectId: row["project_id"], sceneId: row["scene_id"], taskId: row["task_id"],
                            userId: row["user_id"], classId: row["class_id"], signature: signature)
    }
}
