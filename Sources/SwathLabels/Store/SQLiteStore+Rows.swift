import Foundation
import GRDB
import SwathGeo

/// Row → domain value decoding, and JSON columns.
extension SQLiteStore {
    /// Throws rather than traps: a value can hold what JSON cannot (a NaN in a
    /// geotransform read from a registered file, say), and that is the request's error.
    static func json<T: Encodable>(_ value: T) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        do {
            return String(decoding: try encoder.encode(value), as: UTF8.self)
        } catch {
            throw LabelingError.invalid("a value cannot be stored as JSON: \(error)")
        }
    }

    static func decode<T: Decodable>(_ type: T.Type, _ text: String) throws -> T {
        try JSONDecoder().decode(type, from: Data(text.utf8))
    }

    static func user(_ row: Row) -> User {
        User(id: row["id"], name: row["name"], isAdmin: row["is_admin"], createdAt: date(row["created_at"] as Double))
    }

    static func project(_ row: Row) throws -> Project {
        Project(id: row["id"], customer: row["customer"], codename: row["codename"],
                taxonomy: try decode(Taxonomy.self, row["taxonomy"]), settings: try decode(ProjectSettings.self, row["settings"]),
                createdAt: date(row["created_at"] as Double))
    }

    static func scene(_ row: Row) throws -> Scene {
        let draft = SceneDraft(
            projectId: row["project_id"], uri: row["uri"], crsWKT: row["crs_wkt"], epsg: row["epsg"],
            geoTransform: try decode([Double].self, row["geotransform"]), width: row["width"], height: row["height"],
            bandCount: row["band_count"], dataType: row["data_type"], acquiredAt: date(row["acquired_at"] as Double?),
            sensor: row["sensor"], bandRoles: try decode([String: Int].self, row["band_roles"]),
            preEventSceneId: row["pre_event_scene_id"], tileSize: row["tile_size"], overlap: row["overlap"],
            bboxWGS84: [row["min_lon"], row["min_lat"], row["max_lon"], row["max_lat"]])
        return Scene(id: row["id"], createdAt: date(row["created_at"] as Double), registration: draft)
    }

    static func task(_ row: Row) throws -> LabelTask {
        LabelTask(id: row["id"], projectId: row["project_id"], sceneId: row["scene_id"],
                  window: Window(col: row["col"], row: row["row"], width: row["width"], height: row["height"]),
                  footprintWGS84: try JSONParser.parse(row["footprint"] as String),
                  status: TaskStatus(rawValue: row["status"]) ?? .open, assigneeId: row["assignee_id"],
                  leaseExpiresAt: date(row["lease_expires_at"] as Double?), priority: row["priority"],
                  updatedAt: date(row["updated_at"] as Double))
    }

    static func label(_ row: Row) throws -> Label {
        Label(id: row["id"], projectId: row["project_id"], sceneId: row["scene_id"], taskId: row["task_id"],
              classId: row["class_id"], attributes: try attributes(row["attributes"]),
              geometry: try MultiPolygon(wkb: [UInt8](row["geometry"] as Data)), annotatorId: row["annotator_id"],
              source: LabelSource(rawValue: row["source"]) ?? .manual, version: row["version"], previousId: row["previous_id"],
              secondsSpent: row["seconds_spent"], createdAt: date(row["created_at"] as Double), drawnArea: row["drawn_area"])
    }

    /// Most labels have no attributes: skip the JSON decoder for "{}".
    static func attributes(_ text: String) throws -> [String: JSONValue] {
        guard text != "{}" else { return [:] }
        guard case .object(let attributes) = try JSONParser.parse(text) else { return [:] }
        return attributes
    }

    static func review(_ row: Row) -> Review {
        Review(id: row["id"], taskId: row["task_id"], reviewerId: row["reviewer_id"],
               decision: ReviewDecision(rawValue: row["decision"]) ?? .reject, comment: row["comment"],
               createdAt: date(row["created_at"] as Double))
    }

    static func auditEvent(_ row: Row) -> AuditEvent {
        AuditEvent(id: row["id"], projectId: row["project_id"], actorId: row["actor_id"], action: row["action"],
                   entity: row["entity"], entityId: row["entity_id"],
                   before: (row["before"] as String?).flatMap(JSONValue.init(parsing:)),
                   after: (row["after"] as String?).flatMap(JSONValue.init(parsing:)), at: date(row["at"] as Double))
    }

    /// Appends an audit event inside the caller's transaction, and moves the
    /// project's version on in the same transaction: every change to a project
    /// comes with its audit event, so caches keyed by the version (chips,
    /// exports) see every change, in commit order on any store.
    static func audit(_ db: Database, projectId: ProjectID?, actor: UserID?, action: String, entity: String, entityId: Int64,
                      before: JSONValue? = nil, after: JSONValue? = nil, at: Date) throws {
        try db.run("""
            INSERT INTO audit_events (project_id, actor_id, action, entity, entity_id, before, after, at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            """, arguments: [projectId, actor, action, entity, entityId, before.map(json), after.map(json), time(at)])
        if let projectId { try db.run("UPDATE projects SET version = version + 1 WHERE id = ?", arguments: [projectId]) }
    }

    static func snapshot(_ task: LabelTask) -> JSONValue { QueueRules.snapshot(task) }
}
