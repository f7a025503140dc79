import Foundation
import PostgresNIO
import SwathGeo

/// Row → domain value decoding, and the audit trail, for the PostgreSQL store.
extension PostgresStore {
    /// A label's columns with its geometry as WKB (PostGIS keeps its own format inside).
    static func labelColumns(_ table: String = "labels") -> String {
        ["id", "project_id", "scene_id", "task_id", "class_id", "attributes", "min_lon", "min_lat", "max_lon", "max_lat", "annotator_id",
         "source", "version", "previous_id", "seconds_spent", "created_at", "private_to", "drawn_area"]
            .map { "\(table).\($0)" }.joined(separator: ", ") + ", ST_AsBinary(\(table).geometry) AS wkb"
    }

    static func user(_ row: PostgresRandomAccessRow) throws -> User {
        User(id: try row.get("id"), name: try row.get("name"), isAdmin: try row.get("is_admin"), createdAt: date(try row.get("created_at")))
    }

    static func project(_ row: PostgresRandomAccessRow) throws -> Project {
        Project(id: try row.get("id"), customer: try row.get("customer"), codename: try row.get("codename"),
                taxonomy: try SQLiteStore.decode(Taxonomy.self, try row.get("taxonomy")),
                settings: try SQLiteStore.decode(ProjectSettings.self, try row.get("settings")),
                createdAt: date(try row.get("created_at")))
    }

    static func scene(_ row: PostgresRandomAccessRow) throws -> Scene {
        let draft = SceneDraft(
            projectId: try row.get("project_id"), uri: try row.get("uri"), crsWKT: try row.get("crs_wkt"),
            epsg: try row.get("epsg", as: Int?.self),
            geoTransform: try SQLiteStore.decode([Double].self, try row.get("geotransform")), width: try row.get("width"),
            height: try row.get("height"), bandCount: try row.get("band_count"), dataType: try row.get("data_type"),
            acquiredAt: date(try row.get("acquired_at", as: Double?.self)), sensor: try row.get("sensor"),
            bandRoles: try SQLiteStore.decode([String: Int].self, try row.get("band_roles")),
            preEventSceneId: try row.get("pre_event_scene_id"), tileSize: try row.get("tile_size"), overlap: try row.get("overlap"),
            bboxWGS84: [try row.get("min_lon"), try row.get("min_lat"), try row.get("max_lon"), try row.get("max_lat")])
        return Scene(id: try row.get("id"), createdAt: date(try row.get("created_at")), registration: draft)
    }

    static func task(_ row: PostgresRandomAccessRow) throws -> LabelTask {
        LabelTask(id: try row.get("id"), projectId: try row.get("project_id"), sceneId: try row.get("scene_id"),
                  window: Window(col: try row.get("col"), row: try row.get("row"), width: try row.get("width"), height: try row.get("height")),
                  footprintWGS84: try JSONParser.parse(try row.get("footprint", as: String.self)),
                  status: TaskStatus(rawValue: try row.get("status")) ?? .open, assigneeId: try row.get("assignee_id"),
                  leaseExpiresAt: date(try row.get("lease_expires_at", as: Double?.self)), priority: try row.get("priority"),
                  updatedAt: date(try row.get("updated_at")))
    }

    static func label(_ row: PostgresRandomAccessRow) throws -> Label {
        Label(id: try row.get("id"), projectId: try row.get("project_id"), sceneId: try row.get("scene_id"), taskId: try row.get("task_id"),
              classId: try row.get("class_id"), attributes: try SQLiteStore.attributes(try row.get("attributes")),
              geometry: try MultiPolygon(wkb: [UInt8](try row.get("wkb", as: Data.self))), annotatorId: try row.get("annotator_id"),
              source: LabelSource(rawValue: try row.get("source")) ?? .manual, version: try row.get("version"),
              previousId: try row.get("previous_id"), secondsSpent: try row.get("seconds_spent"), createdAt: date(try row.get("created_at")),
              drawnArea: try row.get("drawn_area"))
    }

    static func review(_ row: PostgresRandomAccessRow) throws -> Review {
        Review(id: try row.get("id"), taskId: try row.get("task_id"), reviewerId: try row.get("reviewer_id"),
               decision: ReviewDecision(rawValue: try row.get("decision")) ?? .reject, comment: try row.get("comment"),
               createdAt: date(try row.get("created_at")))
    }

    static func auditEvent(_ row: PostgresRandomAccessRow) throws -> AuditEvent {
        AuditEvent(id: try row.get("id"), projectId: try row.get("project_id"), actorId: try row.get("actor_id"), action: try row.get("action"),
                   entity: try row.get("entity"), entityId: try row.get("entity_id"),
                   before: try row.get("before", as: String?.self).flatMap(JSONValue.init(parsing:)),
                   after: try row.get("after", as: String?.self).flatMap(JSONValue.init(parsing:)), at: date(try row.get("at")))
    }

    static func assignment(_ row: PostgresRandomAccessRow) throws -> Assignment {
        Assignment(id: try row.get("id"), projectId: try row.get("project_id"), taskId: try row.get("task_id"), userId: try row.get("user_id"),
                   status: Assignment.Status(rawValue: try row.get("status")) ?? .expired,
                   leaseExpiresAt: date(try row.get("lease_expires_at", as: Double?.self)), claimedAt: date(try row.get("claimed_at")),
                   savedAt: date(try row.get("saved_at", as: Double?.self)), submittedAt: date(try row.get("submitted_at", as: Double?.self)))
    }

    static func pause(_ row: PostgresRandomAccessRow) throws -> AnnotatorPause {
        AnnotatorPause(id: try row.get("id"), projectId: try row.get("project_id"), userId: try row.get("user_id"), reason: try row.get("reason"),
                       pausedAt: date(try row.get("paused_at")), reinstatedAt: date(try row.get("reinstated_at", as: Double?.self)),
                       reinstatedBy: try row.get("reinstated_by"))
    }

    static func pending(_ row: PostgresRandomAccessRow) throws -> PendingSubmission {
        PendingSubmission(taskId: try row.get("task_id"), userId: try row.get("user_id"), secondsOnTask: try row.get("seconds_on_task"),
                          submittedAt: date(try row.get("submitted_at")))
    }

    /// Which of a project's version counters a connection bumps: its own, so concurrent
    /// writers rarely queue on one row. 16 shared among 40 pooled connections made the bump
    /// wait on another transaction's commit in a third of the samples of a save benchmark;
    /// with 256 two connections rarely meet. Readers sum at most 256 small rows.
    static let versionShard = "pg_backend_pid() % 256"

    /// Appends an audit event in the caller's transaction and moves the project's
    /// version on (see `schemaV2`): done last, so the counter row is held only through the commit.
    static func audit(_ session: PostgresSession, projectId: ProjectID?, actor: UserID?, action: String, entity: String, entityId: Int64,
                      before: JSONValue? = nil, after: JSONValue? = nil, at: Date) async throws {
        let beforeText = try before.map(SQLiteStore.json)
        let afterText = try after.map(SQLiteStore.json)
        guard let projectId else {
            try await session.run("""
                INSERT INTO audit_events (project_id, actor_id, action, entity, entity_id, before, after, at)
                VALUES (NULL, \(actor), \(action), \(entity), \(entityId), \(beforeText), \(afterText), \(time(at)))
                """)
            return
        }
        // One round trip for both: the event, and a bump of one of the project's version counters
        // (the connection's own, so concurrent writers rarely share one).
        try await session.run("""
            WITH event AS (
                INSERT INTO audit_events (project_id, actor_id, action, entity, entity_id, before, after, at)
                VALUES (\(projectId), \(actor), \(action), \(entity), \(entityId), \(beforeText), \(afterText), \(time(at))))
            INSERT INTO project_versions (project_id, shard, bumps) VALUES (\(projectId), \(unescaped: versionShard), 1)
            ON CONFLICT (project_id, shard) DO UPDATE SET bumps = project_versions.bumps + 1
            """)
    }
}
