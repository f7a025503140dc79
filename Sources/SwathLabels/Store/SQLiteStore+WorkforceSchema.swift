extension SQLiteStore {
    /// Qualification, cohorts, the pay ledger and remediation. The ledger and
    /// the payouts are append-only, and nothing is written into a closed
    /// period, enforced by the database itself.
    static let workforceSchema = """
        ALTER TABLE tasks ADD COLUMN qualification INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE tasks ADD COLUMN submitted_at REAL;
        ALTER TABLE reviews ADD COLUMN submitter_id INTEGER REFERENCES users(id);
        CREATE TABLE standings (
            project_id INTEGER NOT NULL REFERENCES projects(id),
            user_id INTEGER NOT NULL REFERENCES users(id),
            state TEXT NOT NULL CHECK (state IN ('applicant', 'qualified', 'removed')),
            reason TEXT NOT NULL,
            updated_at REAL NOT NULL,
            results_since REAL,
            PRIMARY KEY (project_id, user_id)
        );
        CREATE TABLE cohorts (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            codename TEXT NOT NULL UNIQUE,
            vendor TEXT,
            created_at REAL NOT NULL
        );
        CREATE TABLE cohort_members (
            user_id INTEGER PRIMARY KEY REFERENCES users(id),
            cohort_id INTEGER NOT NULL REFERENCES cohorts(id)
        );
        CREATE TABLE task_exclusions (
            task_id INTEGER NOT NULL REFERENCES tasks(id),
            user_id INTEGER NOT NULL REFERENCES users(id),
            PRIMARY KEY (task_id, user_id)
        );
        CREATE TABLE pay_entries (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            project_id INTEGER NOT NULL REFERENCES projects(id),
            user_id INTEGER NOT NULL REFERENCES users(id),
            task_id INTEGER NOT NULL REFERENCES tasks(id),
            cause TEXT NOT NULL CHECK (cause IN ('acceptance', 'bonus', 'reversal')),
            amount INTEGER NOT NULL,
            currency TEXT NOT NULL,
            labels INTEGER NOT NULL DEFAULT 0,
            seconds REAL NOT NULL DEFAULT 0,
            reverses INTEGER UNIQUE REFERENCES pay_entries(id),
            created_at REAL NOT NULL
        );
        CREATE INDEX pay_entries_project ON pay_entries(project_id, created_at);
        CREATE INDEX pay_entries_user ON pay_entries(user_id, created_at);
        CREATE INDEX pay_entries_task ON pay_entries(task_id);
        CREATE TABLE payouts (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            project_id INTEGER NOT NULL REFERENCES projects(id),
            from_at REAL NOT NULL,
            to_at REAL NOT NULL,
            total INTEGER NOT NULL,
            entries INTEGER NOT NULL,
            closed_at REAL NOT NULL,
            closed_by INTEGER REFERENCES users(id)
        );
        CREATE INDEX payouts_project ON payouts(project_id, from_at);
        CREATE TABLE remediations (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            project_id INTEGER NOT NULL REFERENCES projects(id),
            outcome TEXT NOT NULL,
            created_by INTEGER REFERENCES users(id),
            created_at REAL NOT NULL
        );
        CREATE TRIGGER pay_entries_no_update BEFORE UPDATE ON pay_entries
            BEGIN SELECT RAISE(ABORT, 'the pay ledger is append-only'); END;
        CREATE TRIGGER pay_entries_no_delete BEFORE DELETE ON pay_entries
            BEGIN SELECT RAISE(ABORT, 'the pay ledger is append-only'); END;
        CREATE TRIGGER pay_entries_closed_period BEFORE INSERT ON pay_entries
            WHEN EXISTS (SELECT 1 FROM payouts p WHERE p.project_id = NEW.project_id AND NEW.created_at >= p.from_at AND NEW.created_at < p.to_at)
            BEGIN SELECT RAISE(ABORT, 'the pay period is closed'); END;
        CREATE TRIGGER payouts_no_update BEFORE UPDATE ON payouts
            BEGIN SELECT RAISE(ABORT, 'payouts are final'); END;
        CREATE TRIGGER payouts_no_delete BEFORE DELETE ON payouts
            BEGIN SELECT RAISE(ABORT, 'payouts are final'); END;
        """
}
