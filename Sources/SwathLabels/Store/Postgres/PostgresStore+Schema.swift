import PostgresNIO

/// The PostgreSQL schema: the SQLite store's tables with PostgreSQL types,
/// labels as PostGIS geometry, and the append-only rules enforced by triggers.
///
/// Times are epoch seconds in `double precision`, exactly as SQLite keeps them,
/// so a database copied from SQLite answers every request with the same values.
extension PostgresStore {
    /// Migrations, append-only: never edit a published one; add the next.
    static let migrations: [(name: String, sql: String)] = [
        ("v1-schema", schemaV1),
        ("v2-version-shards", schemaV2),
        ("v3-save-function", schemaV3),
        ("v4-jobs", schemaV4),
        ("v5-releases", schemaV5),
        ("v6-uncertainty", schemaV6),
        ("v7-shapes", schemaV7),
        ("v8-workforce", schemaV8),
    ]

    /// Creates PostGIS when allowed (a clear error naming it otherwise), then
    /// applies the migrations not yet recorded, all in one transaction (a failure leaves none half-applied).
    /// An advisory lock makes servers starting together migrate once.
    func migrate() async throws {
        // Starting up may wait behind other servers' migrations (the advisory lock): not a request to answer fast.
        _ = try await write(leaseTimeout: .seconds(60)) { session in
            try await session.run("SELECT pg_advisory_xact_lock(\(Self.migrationLock))")
            try await self.ensurePostGIS(session)
            try await session.run("""
                CREATE TABLE IF NOT EXISTS schema_migrations (name TEXT PRIMARY KEY, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())
                """)
            let applied = Set(try await session.values(String.self, "SELECT name FROM schema_migrations"))
            for migration in Self.migrations where !applied.contains(migration.name) {
                try await session.script(migration.sql)
                try await session.run("INSERT INTO schema_migrations (name) VALUES (\(migration.name))")
            }
            return true
        }
    }

    /// The advisory lock key of migrations ('swath' in ASCII).
    static let migrationLock: Int64 = 0x7377_6174_68

    private func ensurePostGIS(_ session: PostgresSession) async throws {
        let installed = try await session.value(String.self, "SELECT extversion FROM pg_extension WHERE extname = 'postgis'")
        guard installed == nil else { return }
        do {
            try await session.run("CREATE EXTENSION postgis")
        } catch {
            let reason = (error as? PSQLError)?.serverInfo?[.message] ?? "\(error)"
            throw LabelingError.invalid("\(location): the PostGIS extension is missing and could not be created (\(reason)); "
                                        + "install postgresql-15-postgis-3 or ask an administrator to run CREATE EXTENSION postgis")
        }
    }

    static let schemaV1 = """
        CREATE TABLE users (
            id BIGSERIAL PRIMARY KEY,
            name TEXT NOT NULL,
            is_admin BOOLEAN NOT NULL DEFAULT false,
            created_at DOUBLE PRECISION NOT NULL
        );
        CREATE TABLE tokens (
            id BIGSERIAL PRIMARY KEY,
            user_id BIGINT NOT NULL REFERENCES users(id),
            hash TEXT NOT NULL UNIQUE,
            created_at DOUBLE PRECISION NOT NULL,
            revoked_at DOUBLE PRECISION
        );
        CREATE TABLE projects (
            id BIGSERIAL PRIMARY KEY,
            customer TEXT NOT NULL,
            codename TEXT NOT NULL UNIQUE,
            taxonomy TEXT NOT NULL,
            settings TEXT NOT NULL,
            created_at DOUBLE PRECISION NOT NULL,
            -- Moves on in every transaction that changes the project: the key of its caches.
            version BIGINT NOT NULL DEFAULT 0
        );
        CREATE TABLE memberships (
            project_id BIGINT NOT NULL REFERENCES projects(id),
            user_id BIGINT NOT NULL REFERENCES users(id),
            role TEXT NOT NULL,
            PRIMARY KEY (project_id, user_id, role)
        );
        CREATE INDEX memberships_user ON memberships(user_id);
        CREATE TABLE scenes (
            id BIGSERIAL PRIMARY KEY,
            project_id BIGINT NOT NULL REFERENCES projects(id),
            uri TEXT NOT NULL,
            crs_wkt TEXT NOT NULL,
            epsg BIGINT,
            geotransform TEXT NOT NULL,
            width BIGINT NOT NULL,
            height BIGINT NOT NULL,
            band_count BIGINT NOT NULL,
            data_type TEXT NOT NULL,
            acquired_at DOUBLE PRECISION,
            sensor TEXT,
            band_roles TEXT NOT NULL,
            pre_event_scene_id BIGINT REFERENCES scenes(id),
            tile_size BIGINT NOT NULL,
            overlap BIGINT NOT NULL,
            min_lon DOUBLE PRECISION NOT NULL, min_lat DOUBLE PRECISION NOT NULL,
            max_lon DOUBLE PRECISION NOT NULL, max_lat DOUBLE PRECISION NOT NULL,
            created_at DOUBLE PRECISION NOT NULL
        );
        CREATE INDEX scenes_project ON scenes(project_id);
        CREATE TABLE tasks (
            id BIGSERIAL PRIMARY KEY,
            project_id BIGINT NOT NULL REFERENCES projects(id),
            scene_id BIGINT NOT NULL REFERENCES scenes(id),
            col BIGINT NOT NULL, "row" BIGINT NOT NULL, width BIGINT NOT NULL, height BIGINT NOT NULL,
            footprint TEXT NOT NULL,
            min_lon DOUBLE PRECISION NOT NULL, min_lat DOUBLE PRECISION NOT NULL,
            max_lon DOUBLE PRECISION NOT NULL, max_lat DOUBLE PRECISION NOT NULL,
            status TEXT NOT NULL DEFAULT 'open',
            assignee_id BIGINT REFERENCES users(id),
            lease_expires_at DOUBLE PRECISION,
            priority BIGINT NOT NULL DEFAULT 0,
            updated_at DOUBLE PRECISION NOT NULL,
            gold BOOLEAN NOT NULL DEFAULT false,
            agreement DOUBLE PRECISION,
            claimed_at DOUBLE PRECISION
        );
        CREATE INDEX tasks_queue ON tasks(project_id, priority, id) WHERE status = 'open' AND NOT gold;
        CREATE INDEX tasks_status ON tasks(project_id, status, updated_at);
        CREATE INDEX tasks_scene ON tasks(scene_id);
        CREATE INDEX tasks_leases ON tasks(project_id, lease_expires_at) WHERE status = 'in_progress';
        CREATE INDEX tasks_held ON tasks(assignee_id, project_id) WHERE status = 'in_progress';
        CREATE INDEX tasks_gold ON tasks(project_id) WHERE gold;
        CREATE TABLE labels (
            id BIGSERIAL PRIMARY KEY,
            project_id BIGINT NOT NULL REFERENCES projects(id),
            scene_id BIGINT NOT NULL REFERENCES scenes(id),
            task_id BIGINT NOT NULL REFERENCES tasks(id),
            class_id BIGINT NOT NULL,
            attributes TEXT NOT NULL,
            -- In the scene's CRS: its EPSG code as SRID when it has one (0 otherwise; scenes.crs_wkt is the CRS).
            geometry geometry NOT NULL,
            min_lon DOUBLE PRECISION NOT NULL, min_lat DOUBLE PRECISION NOT NULL,
            max_lon DOUBLE PRECISION NOT NULL, max_lat DOUBLE PRECISION NOT NULL,
            -- The WGS84 bounding box as a polygon, for the GiST index behind bbox queries.
            footprint geometry(Polygon, 4326) GENERATED ALWAYS AS (ST_MakeEnvelope(min_lon, min_lat, max_lon, max_lat, 4326)) STORED,
            annotator_id BIGINT REFERENCES users(id),
            source TEXT NOT NULL,
            version BIGINT NOT NULL,
            previous_id BIGINT REFERENCES labels(id),
            seconds_spent DOUBLE PRECISION NOT NULL DEFAULT 0,
            created_at DOUBLE PRECISION NOT NULL,
            superseded_at DOUBLE PRECISION,
            -- One annotator's own set on a consensus or gold task; NULL is the task's shared set.
            private_to BIGINT REFERENCES users(id),
            drawn_area DOUBLE PRECISION
        );
        CREATE INDEX labels_task ON labels(task_id) WHERE superseded_at IS NULL;
        CREATE INDEX labels_project ON labels(project_id, id) WHERE superseded_at IS NULL;
        CREATE INDEX labels_footprint ON labels USING GIST (footprint) WHERE superseded_at IS NULL AND private_to IS NULL;
        CREATE TABLE reviews (
            id BIGSERIAL PRIMARY KEY,
            task_id BIGINT NOT NULL REFERENCES tasks(id),
            reviewer_id BIGINT NOT NULL REFERENCES users(id),
            decision TEXT NOT NULL,
            comment TEXT,
            created_at DOUBLE PRECISION NOT NULL
        );
        CREATE INDEX reviews_task ON reviews(task_id);
        CREATE TABLE audit_events (
            id BIGSERIAL PRIMARY KEY,
            project_id BIGINT REFERENCES projects(id),
            actor_id BIGINT REFERENCES users(id),
            action TEXT NOT NULL,
            entity TEXT NOT NULL,
            entity_id BIGINT NOT NULL,
            before TEXT,
            after TEXT,
            at DOUBLE PRECISION NOT NULL
        );
        CREATE INDEX audit_project ON audit_events(project_id, id);
        -- Append-only trails, enforced by the database itself: no UPDATE, DELETE or TRUNCATE.
        CREATE FUNCTION swath_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            RAISE EXCEPTION '% is append-only', TG_TABLE_NAME USING ERRCODE = 'insufficient_privilege';
        END $$;
        CREATE TRIGGER audit_append_only BEFORE UPDATE OR DELETE ON audit_events
            FOR EACH ROW EXECUTE FUNCTION swath_append_only();
        CREATE TRIGGER audit_no_truncate BEFORE TRUNCATE ON audit_events
            FOR EACH STATEMENT EXECUTE FUNCTION swath_append_only();
        CREATE TABLE assignments (
            id BIGSERIAL PRIMARY KEY,
            project_id BIGINT NOT NULL REFERENCES projects(id),
            task_id BIGINT NOT NULL REFERENCES tasks(id),
            user_id BIGINT NOT NULL REFERENCES users(id),
            status TEXT NOT NULL,
            lease_expires_at DOUBLE PRECISION,
            claimed_at DOUBLE PRECISION NOT NULL,
            saved_at DOUBLE PRECISION,
            submitted_at DOUBLE PRECISION
        );
        CREATE INDEX assignments_task ON assignments(task_id, status);
        CREATE INDEX assignments_user ON assignments(user_id, project_id, status);
        CREATE INDEX assignments_leases ON assignments(project_id, lease_expires_at) WHERE status = 'in_progress';
        CREATE TABLE gold_labels (
            id BIGSERIAL PRIMARY KEY,
            task_id BIGINT NOT NULL REFERENCES tasks(id),
            class_id BIGINT NOT NULL,
            geometry geometry NOT NULL,
            created_by BIGINT REFERENCES users(id),
            created_at DOUBLE PRECISION NOT NULL,
            superseded_at DOUBLE PRECISION
        );
        CREATE INDEX gold_labels_task ON gold_labels(task_id, superseded_at);
        CREATE TABLE gold_results (
            id BIGSERIAL PRIMARY KEY,
            project_id BIGINT NOT NULL REFERENCES projects(id),
            user_id BIGINT NOT NULL REFERENCES users(id),
            task_id BIGINT NOT NULL REFERENCES tasks(id),
            f1 DOUBLE PRECISION NOT NULL,
            boundary_f1 DOUBLE PRECISION NOT NULL,
            created_at DOUBLE PRECISION NOT NULL
        );
        CREATE INDEX gold_results_user ON gold_results(project_id, user_id, id);
        CREATE TABLE pauses (
            id BIGSERIAL PRIMARY KEY,
            project_id BIGINT NOT NULL REFERENCES projects(id),
            user_id BIGINT NOT NULL REFERENCES users(id),
            reason TEXT NOT NULL,
            paused_at DOUBLE PRECISION NOT NULL,
            reinstated_at DOUBLE PRECISION,
            reinstated_by BIGINT REFERENCES users(id)
        );
        -- At most one live pause per annotator and project, whichever server records it.
        CREATE UNIQUE INDEX pauses_live ON pauses(project_id, user_id) WHERE reinstated_at IS NULL;
        CREATE TABLE integrity_flags (
            id BIGSERIAL PRIMARY KEY,
            project_id BIGINT NOT NULL REFERENCES projects(id),
            user_id BIGINT NOT NULL REFERENCES users(id),
            task_id BIGINT REFERENCES tasks(id),
            label_id BIGINT REFERENCES labels(id),
            kind TEXT NOT NULL,
            evidence TEXT NOT NULL,
            once_key TEXT,
            created_at DOUBLE PRECISION NOT NULL
        );
        CREATE INDEX integrity_flags_project ON integrity_flags(project_id, user_id);
        CREATE INDEX integrity_flags_task ON integrity_flags(task_id);
        CREATE UNIQUE INDEX integrity_flags_once ON integrity_flags(project_id, user_id, once_key) WHERE once_key IS NOT NULL;
        CREATE TRIGGER integrity_flags_append_only BEFORE UPDATE ON integrity_flags
            FOR EACH ROW EXECUTE FUNCTION swath_append_only();
        CREATE TABLE fingerprints (
            label_id BIGINT PRIMARY KEY REFERENCES labels(id),
            project_id BIGINT NOT NULL REFERENCES projects(id),
            scene_id BIGINT NOT NULL REFERENCES scenes(id),
            task_id BIGINT NOT NULL REFERENCES tasks(id),
            user_id BIGINT NOT NULL REFERENCES users(id),
            vertex_count BIGINT NOT NULL,
            perimeter_bucket BIGINT NOT NULL,
            centroid_x DOUBLE PRECISION NOT NULL,
            centroid_y DOUBLE PRECISION NOT NULL,
            vertices BYTEA NOT NULL,
            created_at DOUBLE PRECISION NOT NULL
        );
        CREATE INDEX fingerprints_shape ON fingerprints(vertex_count, perimeter_bucket);
        CREATE TABLE pair_agreements (
            id BIGSERIAL PRIMARY KEY,
            task_id BIGINT NOT NULL REFERENCES tasks(id),
            project_id BIGINT NOT NULL REFERENCES projects(id),
            first_user BIGINT NOT NULL REFERENCES users(id),
            second_user BIGINT NOT NULL REFERENCES users(id),
            class_id BIGINT NOT NULL,
            matched BIGINT NOT NULL,
            only_first BIGINT NOT NULL,
            only_second BIGINT NOT NULL,
            mean_matched_iou DOUBLE PRECISION,
            region_iou DOUBLE PRECISION NOT NULL,
            area_agreement DOUBLE PRECISION NOT NULL,
            created_at DOUBLE PRECISION NOT NULL
        );
        CREATE INDEX pair_agreements_project ON pair_agreements(project_id);
        CREATE TABLE submission_outbox (
            task_id BIGINT NOT NULL REFERENCES tasks(id),
            user_id BIGINT NOT NULL REFERENCES users(id),
            seconds_on_task DOUBLE PRECISION NOT NULL,
            submitted_at DOUBLE PRECISION NOT NULL,
            PRIMARY KEY (task_id, user_id)
        );
        """

    /// The project version as a sum of counters (see `versionShard`): one counter row bumped by every write of a
    /// project made all its writes queue on that row through each commit's WAL flush (about 110
    /// claims/s). A sum of committed bumps still grows with every commit any reader can see, which
    /// is all a cache key needs. `projects.version` stays as the base (what migrate-db copies).
    static let schemaV2 = """
        CREATE TABLE project_versions (
            project_id BIGINT NOT NULL REFERENCES projects(id),
            shard INTEGER NOT NULL,
            bumps BIGINT NOT NULL,
            PRIMARY KEY (project_id, shard)
        );
        """
}
