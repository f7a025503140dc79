import GRDB

extension SQLiteStore {
    /// Migrations, append-only: never edit a registered one.
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try db.execute(sql: """
                CREATE TABLE users (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    name TEXT NOT NULL,
                    is_admin INTEGER NOT NULL DEFAULT 0,
                    created_at REAL NOT NULL
                );
                CREATE TABLE tokens (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    user_id INTEGER NOT NULL REFERENCES users(id),
                    hash TEXT NOT NULL UNIQUE,
                    created_at REAL NOT NULL,
                    revoked_at REAL
                );
                CREATE TABLE projects (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    customer TEXT NOT NULL,
                    codename TEXT NOT NULL UNIQUE,
                    taxonomy TEXT NOT NULL,
                    settings TEXT NOT NULL,
                    created_at REAL NOT NULL
                );
                CREATE TABLE memberships (
                    project_id INTEGER NOT NULL REFERENCES projects(id),
                    user_id INTEGER NOT NULL REFERENCES users(id),
                    role TEXT NOT NULL,
                    PRIMARY KEY (project_id, user_id, role)
                );
                CREATE INDEX memberships_user ON memberships(user_id);
                CREATE TABLE scenes (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    project_id INTEGER NOT NULL REFERENCES projects(id),
                    uri TEXT NOT NULL,
                    crs_wkt TEXT NOT NULL,
                    epsg INTEGER,
                    geotransform TEXT NOT NULL,
                    width INTEGER NOT NULL,
                    height INTEGER NOT NULL,
                    band_count INTEGER NOT NULL,
                    data_type TEXT NOT NULL,
                    acquired_at REAL,
                    sensor TEXT,
                    band_roles TEXT NOT NULL,
                    pre_event_scene_id INTEGER REFERENCES scenes(id),
                    tile_size INTEGER NOT NULL,
                    overlap INTEGER NOT NULL,
                    min_lon REAL NOT NULL, min_lat REAL NOT NULL, max_lon REAL NOT NULL, max_lat REAL NOT NULL,
                    created_at REAL NOT NULL
                );
                CREATE INDEX scenes_project ON scenes(project_id);
                CREATE TABLE tasks (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    project_id INTEGER NOT NULL REFERENCES projects(id),
                    scene_id INTEGER NOT NULL REFERENCES scenes(id),
                    col INTEGER NOT NULL, row INTEGER NOT NULL, width INTEGER NOT NULL, height INTEGER NOT NULL,
                    footprint TEXT NOT NULL,
                    min_lon REAL NOT NULL, min_lat REAL NOT NULL, max_lon REAL NOT NULL, max_lat REAL NOT NULL,
                    status TEXT NOT NULL DEFAULT 'open',
                    assignee_id INTEGER REFERENCES users(id),
                    lease_expires_at REAL,
                    priority INTEGER NOT NULL DEFAULT 0,
                    updated_at REAL NOT NULL
                );
                CREATE INDEX tasks_queue ON tasks(project_id, status, priority);
                CREATE INDEX tasks_scene ON tasks(scene_id);
                CREATE TABLE labels (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    project_id INTEGER NOT NULL REFERENCES projects(id),
                    scene_id INTEGER NOT NULL REFERENCES scenes(id),
                    task_id INTEGER NOT NULL REFERENCES tasks(id),
                    class_id INTEGER NOT NULL,
                    attributes TEXT NOT NULL,
                    geometry BLOB NOT NULL,
                    min_lon REAL NOT NULL, min_lat REAL NOT NULL, max_lon REAL NOT NULL, max_lat REAL NOT NULL,
                    annotator_id INTEGER REFERENCES users(id),
                    source TEXT NOT NULL,
                    version INTEGER NOT NULL,
                    previous_id INTEGER REFERENCES labels(id),
                    seconds_spent REAL NOT NULL DEFAULT 0,
                    created_at REAL NOT NULL,
                    superseded_at REAL
                );
                CREATE INDEX labels_task ON labels(task_id, superseded_at);
                CREATE INDEX labels_project ON labels(project_id, superseded_at);
                CREATE TABLE reviews (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    task_id INTEGER NOT NULL REFERENCES tasks(id),
                    reviewer_id INTEGER NOT NULL REFERENCES users(id),
                    decision TEXT NOT NULL,
                    comment TEXT,
                    created_at REAL NOT NULL
                );
                CREATE INDEX reviews_task ON reviews(task_id);
                CREATE TABLE audit_events (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    project_id INTEGER REFERENCES projects(id),
                    actor_id INTEGER REFERENCES users(id),
                    action TEXT NOT NULL,
                    entity TEXT NOT NULL,
                    entity_id INTEGER NOT NULL,
                    before TEXT,
                    after TEXT,
                    at REAL NOT NULL
                );
                CREATE INDEX audit_project ON audit_events(project_id, id);
                -- The trail is append-only, enforced by the database itself.
                CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit_events
                    BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END;
                CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit_events
                    BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END;
                """)
        }
        migrator.registerMigration("v2-lease-index") { db in
            // Lease expiry runs on every claim: find in-progress tasks by expiry without scanning them all.
            try db.execute(sql: "CREATE INDEX tasks_leases ON tasks(project_id, lease_expires_at) WHERE status = 'in_progress'")
            // "Which task does this annotator hold?" is asked on every claim.
            try db.execute(sql: "CREATE INDEX tasks_held ON tasks(assignee_id, project_id) WHERE status = 'in_progress'")
        }
        migrator.registerMigration("v3-quality") { db in
            try db.execute(sql: """
                -- A label with private_to set is one annotator's own set in a consensus or gold task;
                -- NULL is the task's shared set (k = 1 work, pre-labels, consensus): what exports read.
                ALTER TABLE labels ADD COLUMN private_to INTEGER REFERENCES users(id);
                -- The polygon's area as drawn, before it was clipped to the task's tile.
                ALTER TABLE labels ADD COLUMN drawn_area REAL;
                CREATE INDEX labels_annotator ON labels(project_id, annotator_id, superseded_at);
                ALTER TABLE tasks ADD COLUMN gold INTEGER NOT NULL DEFAULT 0;
                -- Consensus tasks: the mean pairwise F1 of the k submissions.
                ALTER TABLE tasks ADD COLUMN agreement REAL;
                -- One annotator's turn on a consensus or gold task (k = 1 tasks keep their lease on the task row).
                CREATE TABLE assignments (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    project_id INTEGER NOT NULL REFERENCES projects(id),
                    task_id INTEGER NOT NULL REFERENCES tasks(id),
                    user_id INTEGER NOT NULL REFERENCES users(id),
                    status TEXT NOT NULL,
                    lease_expires_at REAL,
                    claimed_at REAL NOT NULL,
                    saved_at REAL,
                    submitted_at REAL
                );
                CREATE INDEX assignments_task ON assignments(task_id, status);
                CREATE INDEX assignments_user ON assignments(user_id, project_id, status);
                CREATE INDEX assignments_leases ON assignments(project_id, lease_expires_at) WHERE status = 'in_progress';
                CREATE TABLE gold_labels (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    task_id INTEGER NOT NULL REFERENCES tasks(id),
                    class_id INTEGER NOT NULL,
                    geometry BLOB NOT NULL,
                    created_by INTEGER REFERENCES users(id),
                    created_at REAL NOT NULL,
                    superseded_at REAL
                );
                CREATE INDEX gold_labels_task ON gold_labels(task_id, superseded_at);
                CREATE TABLE gold_results (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    project_id INTEGER NOT NULL REFERENCES projects(id),
                    user_id INTEGER NOT NULL REFERENCES users(id),
                    task_id INTEGER NOT NULL REFERENCES tasks(id),
                    f1 REAL NOT NULL,
                    boundary_f1 REAL NOT NULL,
                    created_at REAL NOT NULL
                );
                CREATE INDEX gold_results_user ON gold_results(project_id, user_id, id);
                CREATE TABLE pauses (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    project_id INTEGER NOT NULL REFERENCES projects(id),
                    user_id INTEGER NOT NULL REFERENCES users(id),
                    reason TEXT NOT NULL,
                    paused_at REAL NOT NULL,
                    reinstated_at REAL,
                    reinstated_by INTEGER REFERENCES users(id)
                );
                CREATE INDEX pauses_user ON pauses(project_id, user_id, reinstated_at);
                -- Flags are evidence for managers: append-only like the audit trail.
                CREATE TABLE integrity_flags (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    project_id INTEGER NOT NULL REFERENCES projects(id),
                    user_id INTEGER NOT NULL REFERENCES users(id),
                    task_id INTEGER REFERENCES tasks(id),
                    label_id INTEGER REFERENCES labels(id),
                    kind TEXT NOT NULL,
                    evidence TEXT NOT NULL,
                    -- Annotator-wide findings are raised once: the rule's name, unique per annotator.
                    once_key TEXT,
                    created_at REAL NOT NULL
                );
                CREATE INDEX integrity_flags_project ON integrity_flags(project_id, user_id);
                CREATE INDEX integrity_flags_task ON integrity_flags(task_id);
                CREATE UNIQUE INDEX integrity_flags_once ON integrity_flags(project_id, user_id, once_key) WHERE once_key IS NOT NULL;
                CREATE TRIGGER integrity_flags_no_update BEFORE UPDATE ON integrity_flags
                    BEGIN SELECT RAISE(ABORT, 'integrity flags are append-only'); END;
                -- Outlines of submitted manual labels, across every project, to find copies.
                CREATE TABLE fingerprints (
                    label_id INTEGER PRIMARY KEY REFERENCES labels(id),
                    project_id INTEGER NOT NULL REFERENCES projects(id),
                    scene_id INTEGER NOT NULL REFERENCES scenes(id),
                    task_id INTEGER NOT NULL REFERENCES tasks(id),
                    user_id INTEGER NOT NULL REFERENCES users(id),
                    vertex_count INTEGER NOT NULL,
                    perimeter_bucket INTEGER NOT NULL,
                    centroid_x REAL NOT NULL,
                    centroid_y REAL NOT NULL,
                    vertices BLOB NOT NULL,
                    created_at REAL NOT NULL
                );
                CREATE INDEX fingerprints_shape ON fingerprints(vertex_count, perimeter_bucket);
                -- Agreement of each pair of annotators per class on a completed consensus task.
                CREATE TABLE pair_agreements (
                    task_id INTEGER NOT NULL REFERENCES tasks(id),
                    project_id INTEGER NOT NULL REFERENCES projects(id),
                    first_user INTEGER NOT NULL REFERENCES users(id),
                    second_user INTEGER NOT NULL REFERENCES users(id),
                    class_id INTEGER NOT NULL,
                    matched INTEGER NOT NULL,
                    only_first INTEGER NOT NULL,
                    only_second INTEGER NOT NULL,
                    mean_matched_iou REAL,
                    region_iou REAL NOT NULL,
                    area_agreement REAL NOT NULL,
                    created_at REAL NOT NULL
                );
                CREATE INDEX pair_agreements_project ON pair_agreements(project_id);
                """)
        }
        migrator.registerMigration("v4-submission-outbox") { db in
            try db.execute(sql: """
                -- When the current k = 1 lease began: the server's own measure of time on a task.
                ALTER TABLE tasks ADD COLUMN claimed_at REAL;
                -- A submission whose consequences (integrity flags, gold score, pause) are not yet recorded.
                -- Written in the submit's transaction, removed in the one that records them: none is ever lost.
                CREATE TABLE submission_outbox (
                    task_id INTEGER NOT NULL REFERENCES tasks(id),
                    user_id INTEGER NOT NULL REFERENCES users(id),
                    seconds_on_task REAL NOT NULL,
                    submitted_at REAL NOT NULL,
                    PRIMARY KEY (task_id, user_id)
                );
                """)
        }
        migrator.registerMigration("v5-project-version") { db in
            // Replaces the latest audit id as the project's cache version: concurrent transactions on a
            // server database can commit audit ids out of order, a counter bumped in each cannot.
            // Started at the latest audit id so chips cached under the old versions stay valid.
            try db.execute(sql: """
                ALTER TABLE projects ADD COLUMN version INTEGER NOT NULL DEFAULT 0;
                UPDATE projects SET version = COALESCE((SELECT MAX(id) FROM audit_events WHERE project_id = projects.id), 0);
                """)
        }
        migrator.registerMigration("v6-jobs") { db in
            try db.execute(sql: SQLiteStore.jobsSchema)
        }
        migrator.registerMigration("v7-releases") { db in
            try db.execute(sql: SQLiteStore.releasesSchema)
        }
        migrator.registerMigration("v8-uncertainty") { db in
            try db.execute(sql: SQLiteStore.uncertaintySchema)
        }
        migrator.registerMigration("v9-shapes") { db in
            try db.execute(sql: SQLiteStore.shapesSchema)
            try db.execute(sql: SQLiteStore.historySchema)
            try db.execute(sql: SQLiteStore.referencesSchema)
        }
        migrator.registerMigration("v10-workforce") { db in
            try db.execute(sql: SQLiteStore.workforceSchema)
        }
        migrator.registerMigration("v11-qualification-index") { db in
            // A project's qualification tasks, read after every gold result.
            try db.execute(sql: "CREATE INDEX tasks_qualification ON tasks(project_id) WHERE qualification = 1")
        }
        return migrator
    }

    /// Heavy work (exports over HTTP) that workers claim under a lease.
    static let jobsSchema = """
        CREATE TABLE jobs (
            id INTEGER PRIMARY KEY,
            project_id INTEGER NOT NULL REFERENCES projects(id),
            kind TEXT NOT NULL,
            parameters TEXT NOT NULL,
            status TEXT NOT NULL CHECK (status IN ('queued', 'running', 'succeeded', 'failed')),
            attempts INTEGER NOT NULL DEFAULT 0,
            max_attempts INTEGER NOT NULL,
            run_after REAL NOT NULL,
            worker TEXT,
            lease_expires_at REAL,
            progress_done INTEGER NOT NULL DEFAULT 0,
            progress_total INTEGER NOT NULL DEFAULT 0,
            result TEXT,
            error TEXT,
            created_by INTEGER REFERENCES users(id),
            created_at REAL NOT NULL,
            updated_at REAL NOT NULL
        );
        CREATE INDEX jobs_due ON jobs(status, run_after);
        """
}
