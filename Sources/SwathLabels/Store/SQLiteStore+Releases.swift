import Foundation
import GRDB

/// Releases (a row and its frozen document) and the label lineage they cite.
extension SQLiteStore {
    static let releasesSchema = """
        CREATE TABLE releases (
            id INTEGER PRIMARY KEY,
            project_id INTEGER NOT NULL REFERENCES projects(id),
            name TEXT NOT NULL,
            created_by INTEGER REFERENCES users(id),
            created_at REAL NOT NULL,
            label_count INTEGER NOT NULL,
            chip_count INTEGER NOT NULL,
            digest TEXT NOT NULL,
            document TEXT NOT NULL,
            UNIQUE (project_id, name)
        );
        CREATE INDEX labels_previous ON labels(previous_id);
        -- A release never changes, enforced by the database itself.
        CREATE TRIGGER releases_no_update BEFORE UPDATE ON releases
            BEGIN SELECT RAISE(ABORT, 'releases are immutable'); END;
        CREATE TRIGGER releases_no_delete BEFORE DELETE ON releases
            BEGIN SELECT RAISE(ABORT, 'releases are immutable'); END;
        """

    public func createRelease(_ draft: ReleaseDraft, actor: UserID?, at: Date) async throws -> Release {
        try await write { db in
            let taken = try db.value(Int64.self, "SELECT id FROM releases WHERE project_id = ? AND name = ?",
                                     arguments: [draft.projectId, draft.name])
            guard taken == nil else { throw ReleaseRules.nameTaken(draft.name) }
            try db.run("""
                INSERT INTO releases (project_id, name, created_by, created_at, label_count, chip_count, digest, document)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [draft.projectId, draft.name, actor, Self.time(at), draft.labelCount, draft.chipCount, draft.digest,
                                 draft.document])
            let id = db.lastInsertedRowID
            try Self.audit(db, projectId: draft.projectId, actor: actor, action: "release.created", entity: "release", entityId: id,
                           after: .object(["name": .string(draft.name), "digest": .string(draft.digest)]), at: at)
            return Release(id: id, projectId: draft.projectId, name: draft.name, createdBy: actor, createdAt: Self.date(Self.time(at)),
                           labelCount: draft.labelCount, chipCount: draft.chipCount, digest: draft.digest)
        }
    }

    public func release(id: ReleaseID) async throws -> Release? {
        try await pool.read { db in
            try db.rows("SELECT \(Self.releaseColumns) FROM releases WHERE id = ?", arguments: [id]).first.map(Self.release)
        }
    }

    public func releaseDocument(id: ReleaseID) async throws -> String? {
        try await pool.read { db in try db.value(String.self, "SELECT document FROM releases WHERE id = ?", arguments: [id]) }
    }

    public func releases(projectId: ProjectID) async throws -> [Release] {
        try await pool.read { db in
            try db.rows("SELECT \(Self.releaseColumns) FROM releases WHERE project_id = ? ORDER BY id", arguments: [projectId]).map(Self.release)
        }
    }

    public func labelHistory(labelId: LabelID) async throws -> [LabelVersion] {
        try await pool.read { db in
            try db.rows("""
                WITH RECURSIVE earlier(id, previous_id) AS (
                    SELECT id, previous_id FROM labels WHERE id = ?
                    UNION SELECT labels.id, labels.previous_id FROM labels JOIN earlier ON labels.id = earlier.previous_id
                ), later(id) AS (
                    SELECT ?
                    UNION SELECT labels.id FROM labels JOIN later ON labels.previous_id = later.id
                )
                SELECT * FROM labels WHERE id IN (SELECT id FROM earlier UNION SELECT id FROM later) ORDER BY version, id
                """, arguments: [labelId, labelId]).map { row in
                LabelVersion(label: try Self.label(row), supersededAt: Self.date(row["superseded_at"] as Double?))
            }
        }
    }

    public func labelPredecessors(projectId: ProjectID) async throws -> [LabelID: LabelID] {
        try await pool.read { db in
            var found: [LabelID: LabelID] = [:]
            for row in try db.rows("SELECT id, previous_id FROM labels WHERE project_id = ? AND previous_id IS NOT NULL",
                                   arguments: [projectId]) {
                found[row["id"]] = row["previous_id"]
            }
            return found
        }
    }

    public func acceptingReviews(projectId: ProjectID) async throws -> [TaskID: Int64] {
        try await pool.read { db in
            var found: [TaskID: Int64] = [:]
            for row in try db.rows("""
                SELECT reviews.task_id, MAX(reviews.id) AS id FROM reviews JOIN tasks ON tasks.id = reviews.task_id
                WHERE tasks.project_id = ? AND reviews.decision = 'accept' GROUP BY reviews.task_id
                """, arguments: [projectId]) {
                found[row["task_id"]] = row["id"]
            }
            return found
        }
    }

    static let releaseColumns = "id, project_id, name, created_by, created_at, label_count, chip_count, digest"

    static func release(_ row: Row) -> Release {
        Release(id: row["id"], projectId: row["project_id"], name: row["name"], createdBy: row["created_by"],
                createdAt: date(row["created_at"] as Double), labelCount: row["label_count"], chipCount: row["chip_count"], digest: row["digest"])
    }
}
