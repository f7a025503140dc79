import Foundation
import PostgresNIO

/// Releases and the label lineage they cite, on a server database.
extension PostgresStore {
    static let schemaV5 = """
        CREATE TABLE releases (
            id BIGSERIAL PRIMARY KEY,
            project_id BIGINT NOT NULL REFERENCES projects(id),
            name TEXT NOT NULL,
            created_by BIGINT REFERENCES users(id),
            created_at DOUBLE PRECISION NOT NULL,
            label_count BIGINT NOT NULL,
            chip_count BIGINT NOT NULL,
            digest TEXT NOT NULL,
            document TEXT NOT NULL,
            UNIQUE (project_id, name)
        );
        CREATE INDEX labels_previous ON labels(previous_id);
        -- A release never changes, enforced by the database itself.
        CREATE TRIGGER releases_immutable BEFORE UPDATE OR DELETE ON releases
            FOR EACH ROW EXECUTE FUNCTION swath_append_only();
        CREATE TRIGGER releases_no_truncate BEFORE TRUNCATE ON releases
            FOR EACH STATEMENT EXECUTE FUNCTION swath_append_only();
        """

    public func createRelease(_ draft: ReleaseDraft, actor: UserID?, at: Date) async throws -> Release {
        try await write { session in
            guard let row = try await session.row("""
                INSERT INTO releases (project_id, name, created_by, created_at, label_count, chip_count, digest, document)
                VALUES (\(draft.projectId), \(draft.name), \(actor), \(Self.time(at)), \(Int64(draft.labelCount)), \(Int64(draft.chipCount)),
                        \(draft.digest), \(draft.document))
                ON CONFLICT (project_id, name) DO NOTHING
                RETURNING \(unescaped: Self.releaseColumns)
                """) else { throw ReleaseRules.nameTaken(draft.name) }
            let release = try Self.release(row)
            try await Self.audit(session, projectId: draft.projectId, actor: actor, action: "release.created", entity: "release",
                                 entityId: release.id, after: .object(["name": .string(draft.name), "digest": .string(draft.digest)]), at: at)
            return release
        }
    }

    public func release(id: ReleaseID) async throws -> Release? {
        try await read { session in
            try await session.row("SELECT \(unescaped: Self.releaseColumns) FROM releases WHERE id = \(id)").map(Self.release)
        }
    }

    public func releaseDocument(id: ReleaseID) async throws -> String? {
        try await read { session in try await session.value(String.self, "SELECT document FROM releases WHERE id = \(id)") }
    }

    public func releases(projectId: ProjectID) async throws -> [Release] {
        try await read { session in
            try await session.rows("SELECT \(unescaped: Self.releaseColumns) FROM releases WHERE project_id = \(projectId) ORDER BY id")
                .map(Self.release)
        }
    }

    public func labelHistory(labelId: LabelID) async throws -> [LabelVersion] {
        try await read { session in
            try await session.rows("""
                WITH RECURSIVE earlier(id, previous_id) AS (
                    SELECT id, previous_id FROM labels WHERE id = \(labelId)
                    UNION SELECT labels.id, labels.previous_id FROM labels JOIN earlier ON labels.id = earlier.previous_id
                ), later(id) AS (
                    SELECT \(labelId)::bigint
                    UNION SELECT labels.id FROM labels JOIN later ON labels.previous_id = later.id
                )
                SELECT \(unescaped: Self.labelColumns()), labels.superseded_at FROM labels
                WHERE id IN (SELECT id FROM earlier UNION SELECT id FROM later) ORDER BY version, id
                """).map { row in
                LabelVersion(label: try Self.label(row), supersededAt: Self.date(try row.get("superseded_at", as: Double?.self)))
            }
        }
    }

    public func labelPredecessors(projectId: ProjectID) async throws -> [LabelID: LabelID] {
        try await read { session in
            var found: [LabelID: LabelID] = [:]
            for row in try await session.rows("""
                SELECT id, previous_id FROM labels WHERE project_id = \(projectId) AND previous_id IS NOT NULL
                """) {
                found[try row.get("id")] = try row.get("previous_id")
            }
            return found
        }
    }

    public func acceptingReviews(projectId: ProjectID) async throws -> [TaskID: Int64] {
        try await read { session in
            var found: [TaskID: Int64] = [:]
            for row in try await session.rows("""
                SELECT reviews.task_id, MAX(reviews.id) AS id FROM reviews JOIN tasks ON tasks.id = reviews.task_id
                WHERE tasks.project_id = \(projectId) AND reviews.decision = 'accept' GROUP BY reviews.task_id
                """) {
                found[try row.get("task_id")] = try row.get("id")
            }
            return found
        }
    }

    static let releaseColumns = "id, project_id, name, created_by, created_at, label_count, chip_count, digest"

    static func release(_ row: PostgresRandomAccessRow) throws -> Release {
        Release(id: try row.get("id"), projectId: try row.get("project_id"), name: try row.get("name"), createdBy: try row.get("created_by"),
                createdAt: date(try row.get("created_at")), labelCount: Int(try row.get("label_count", as: Int64.self)),
                chipCount: Int(try row.get("chip_count", as: Int64.self)), digest: try row.get("digest"))
    }
}
