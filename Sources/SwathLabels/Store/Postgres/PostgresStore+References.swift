import Foundation
import PostgresNIO
import SwathGeo

/// Reference layers (see the SQLite store's twin for the layout).
extension PostgresStore {
    static let referencesSchema = """
        CREATE TABLE reference_layers (
            id BIGSERIAL PRIMARY KEY,
            project_id BIGINT REFERENCES projects(id),
            name TEXT NOT NULL,
            feature_count BIGINT NOT NULL,
            created_by BIGINT REFERENCES users(id),
            created_at DOUBLE PRECISION NOT NULL
        );
        CREATE INDEX reference_layers_project ON reference_layers(project_id);
        CREATE TABLE reference_features (
            id BIGSERIAL PRIMARY KEY,
            layer_id BIGINT NOT NULL REFERENCES reference_layers(id),
            fid BIGINT NOT NULL,
            west DOUBLE PRECISION NOT NULL,
            south DOUBLE PRECISION NOT NULL,
            east DOUBLE PRECISION NOT NULL,
            north DOUBLE PRECISION NOT NULL,
            geometry BYTEA NOT NULL
        );
        CREATE TABLE reference_cells (
            cell_x BIGINT NOT NULL,
            cell_y BIGINT NOT NULL,
            feature_id BIGINT NOT NULL REFERENCES reference_features(id),
            PRIMARY KEY (cell_x, cell_y, feature_id)
        );
        """

    public func createReferenceLayer(projectId: ProjectID?, name: String, features: [ReferenceFeature], actor: UserID?,
                                     at: Date) async throws -> ReferenceLayer {
        try await write(leaseTimeout: .seconds(120)) { session in
            guard let layerId = try await session.value(Int64.self, """
                INSERT INTO reference_layers (project_id, name, feature_count, created_by, created_at)
                VALUES (\(projectId), \(name), \(Int64(features.count)), \(actor), \(Self.time(at))) RETURNING id
                """) else { throw StoreFailure("the reference layer was not created") }
            for feature in features {
                guard let featureId = try await session.value(Int64.self, """
                    INSERT INTO reference_features (layer_id, fid, west, south, east, north, geometry)
                    VALUES (\(layerId), \(feature.fid), \(feature.bbox[0]), \(feature.bbox[1]), \(feature.bbox[2]), \(feature.bbox[3]),
                        \(Data(feature.geometry.wkb))) RETURNING id
                    """) else { throw StoreFailure("a reference feature was not stored") }
                for cell in ReferenceFeature.cells(feature.bbox) {
                    try await session.run("""
                        INSERT INTO reference_cells (cell_x, cell_y, feature_id) VALUES (\(cell[0]), \(cell[1]), \(featureId)) ON CONFLICT DO NOTHING
                        """)
                }
            }
            try await Self.audit(session, projectId: projectId, actor: actor, action: "reference.registered", entity: "reference_layer",
                                 entityId: layerId, after: .object(["name": .string(name), "features": .number(Double(features.count)),
                                                                     "scope": .string(projectId == nil ? "global" : "project")]), at: at)
            return ReferenceLayer(id: layerId, projectId: projectId, name: name, featureCount: features.count, createdAt: at)
        }
    }

    public func referenceLayers(projectId: ProjectID) async throws -> [ReferenceLayer] {
        try await read { session in
            try await session.rows("SELECT * FROM reference_layers WHERE project_id = \(projectId) OR project_id IS NULL ORDER BY id").map { row in
                ReferenceLayer(id: try row.get("id"), projectId: try row.get("project_id"), name: try row.get("name"),
                               featureCount: Int(try row.get("feature_count", as: Int64.self)), createdAt: Self.date(try row.get("created_at")))
            }
        }
    }

    public func referenceFeatures(projectId: ProjectID, bbox: [Double]) async throws -> [ReferenceFeature] {
        let cells = ReferenceFeature.cells(bbox)
        guard !cells.isEmpty else { return [] }
        let xs = cells.map { $0[0] }, ys = cells.map { $0[1] }
        return try await read { session in
            try await session.rows("""
                SELECT DISTINCT f.*, l.name AS layer_name FROM unnest(\(xs), \(ys)) AS wanted(x, y)
                    JOIN reference_cells c ON c.cell_x = wanted.x AND c.cell_y = wanted.y
                    JOIN reference_features f ON f.id = c.feature_id JOIN reference_layers l ON l.id = f.layer_id
                WHERE (l.project_id = \(projectId) OR l.project_id IS NULL)
                    AND f.east >= \(bbox[0]) AND f.west <= \(bbox[2]) AND f.north >= \(bbox[1]) AND f.south <= \(bbox[3])
                ORDER BY f.id
                """).map { row in
                ReferenceFeature(layerId: try row.get("layer_id"), layerName: try row.get("layer_name"), fid: try row.get("fid"),
                                 geometry: try MultiPolygon(wkb: [UInt8](try row.get("geometry", as: Data.self))),
                                 bbox: [try row.get("west"), try row.get("south"), try row.get("east"), try row.get("north")])
            }
        }
    }
}
