import Foundation
import GRDB
import SwathGeo

/// Reference layers: their features in WGS84 (WKB), filed in 0.01° cells so a
/// submission's lookup reads only the cells its outline touches.
extension SQLiteStore {
    static let referencesSchema = """
        CREATE TABLE reference_layers (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            project_id INTEGER REFERENCES projects(id),
            name TEXT NOT NULL,
            feature_count INTEGER NOT NULL,
            created_by INTEGER REFERENCES users(id),
            created_at REAL NOT NULL
        );
        CREATE INDEX reference_layers_project ON reference_layers(project_id);
        CREATE TABLE reference_features (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            layer_id INTEGER NOT NULL REFERENCES reference_layers(id),
            fid INTEGER NOT NULL,
            west REAL NOT NULL,
            south REAL NOT NULL,
            east REAL NOT NULL,
            north REAL NOT NULL,
            geometry BLOB NOT NULL
        );
        CREATE TABLE reference_cells (
            cell_x INTEGER NOT NULL,
            cell_y INTEGER NOT NULL,
            feature_id INTEGER NOT NULL REFERENCES reference_features(id),
            PRIMARY KEY (cell_x, cell_y, feature_id)
        ) WITHOUT ROWID;
        """

    public func createReferenceLayer(projectId: ProjectID?, name: String, features: [ReferenceFeature], actor: UserID?,
                                     at: Date) async throws -> ReferenceLayer {
        try await write { db in
            try db.run("INSERT INTO reference_layers (project_id, name, feature_count, created_by, created_at) VALUES (?, ?, ?, ?, ?)",
                       arguments: [projectId, name, features.count, actor, Self.time(at)])
            let layerId = db.lastInsertedRowID
            for feature in features {
                try db.run("INSERT INTO reference_features (layer_id, fid, west, south, east, north, geometry) VALUES (?, ?, ?, ?, ?, ?, ?)",
                           arguments: [layerId, feature.fid, feature.bbox[0], feature.bbox[1], feature.bbox[2], feature.bbox[3],
                                       Data(feature.geometry.wkb)])
                let featureId = db.lastInsertedRowID
                for cell in ReferenceFeature.cells(feature.bbox) {
                    try db.run("INSERT OR IGNORE INTO reference_cells (cell_x, cell_y, feature_id) VALUES (?, ?, ?)",
                               arguments: [cell[0], cell[1], featureId])
                }
            }
            try Self.audit(db, projectId: projectId, actor: actor, action: "reference.registered", entity: "reference_layer", entityId: layerId,
                           after: .object(["name": .string(name), "features": .number(Double(features.count)),
                                           "scope": .string(projectId == nil ? "global" : "project")]), at: at)
            return ReferenceLayer(id: layerId, projectId: projectId, name: name, featureCount: features.count, createdAt: at)
        }
    }

    public func referenceLayers(projectId: ProjectID) async throws -> [ReferenceLayer] {
        try await pool.read { db in
            try db.rows("SELECT * FROM reference_layers WHERE project_id = ? OR project_id IS NULL ORDER BY id", arguments: [projectId]).map { row in
                ReferenceLayer(id: row["id"], projectId: row["project_id"], name: row["name"], featureCount: row["feature_count"],
                               createdAt: Self.date(row["created_at"] as Double))
            }
        }
    }

    public func referenceFeatures(projectId: ProjectID, bbox: [Double]) async throws -> [ReferenceFeature] {
        let cells = ReferenceFeature.cells(bbox)
        guard !cells.isEmpty else { return [] }
        return try await pool.read { db in
            var found: [Int64: ReferenceFeature] = [:]
            for cell in cells {
                let rows = try db.rows("""
                    SELECT f.*, l.name AS layer_name FROM reference_cells c JOIN reference_features f ON f.id = c.feature_id
                        JOIN reference_layers l ON l.id = f.layer_id
                    WHERE c.cell_x = ? AND c.cell_y = ? AND (l.project_id = ? OR l.project_id IS NULL)
                        AND f.east >= ? AND f.west <= ? AND f.north >= ? AND f.south <= ?
                    """, arguments: [cell[0], cell[1], projectId, bbox[0], bbox[2], bbox[1], bbox[3]])
                for row in rows where found[row["id"]] == nil {
                    found[row["id"]] = ReferenceFeature(layerId: row["layer_id"], layerName: row["layer_name"], fid: row["fid"],
                                                        geometry: try MultiPolygon(wkb: [UInt8](row["geometry"] as Data)),
                                                        bbox: [row["west"], row["south"], row["east"], row["north"]])
                }
            }
            return found.sorted { $0.key < $1.key }.map(\.value)
        }
    }
}
