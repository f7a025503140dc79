import PostgresNIO

extension PostgresStore {
    /// Qualification, cohorts, the pay ledger and remediation (the SQLite store's
    /// `workforceSchema` with PostgreSQL types). The ledger and the payouts are
    /// append-only, and nothing is written into a closed period, enforced by the
    /// database itself.
    ///
    /// The closed-period check must hold with many servers writing at once: the
    /// ledger's insert trigger takes the project row FOR SHARE before it looks
    /// for a payout, and `createPayout` takes it FOR NO KEY UPDATE before it
    /// sums the period. Either the entry's transaction commits first (and the
    /// payout counts it) or it waits for the payout and is refused; neither
    /// lock blocks the FOR KEY SHARE every other insert of the project takes.
    static let schemaV8 = """
        ALTER TABLE tasks ADD COLUMN qualification BOOLEAN NOT NULL DEFAULT false;
        ALTER TABLE tasks ADD COLUMN submitted_at DOUBLE PRECISION;
        CREATE INDEX tasks_qualification ON tasks(project_id) WHERE qualification;
        ALTER TABLE reviews ADD COLUMN submitter_id BIGINT REFERENCES users(id);
        CREATE TABLE standings (
            project_id BIGINT NOT NULL REFERENCES projects(id),
            user_id BIGINT NOT NULL REFERENCES users(id),
            state TEXT NOT NULL CHECK (state IN ('applicant', 'qualified', 'removed')),
            reason TEXT NOT NULL,
            updated_at DOUBLE PRECISION NOT NULL,
            results_since DOUBLE PRECISION,
            PRIMARY KEY (project_id, user_id)
        );
        CREATE TABLE cohorts (
            id BIGSERIAL PRIMARY KEY,
            codename TEXT NOT NULL UNIQUE,
            vendor TEXT,
            created_at DOUBLE PRECISION NOT NULL
        );
        CREATE TABLE cohort_members (
            user_id BIGINT PRIMARY KEY REFERENCES users(id),
            cohort_id BIGINT NOT NULL REFERENCES cohorts(id)
        );
        CREATE TABLE task_exclusions (
            task_id BIGINT NOT NULL REFERENCES tasks(id),
            user_id BIGINT NOT NULL REFERENCES users(id),
            PRIMARY KEY (task_id, user_id)
        );
        CREATE TABLE pay_entries (
            id BIGSERIAL PRIMARY KEY,
            project_id BIGINT NOT NULL REFERENCES projects(id),
            user_id BIGINT NOT NULL REFERENCES users(id),
            task_id BIGINT NOT NULL REFERENCES tasks(id),
            cause TEXT NOT NULL CHECK (cause IN ('acceptance', 'bonus', 'reversal')),
            amount BIGINT NOT NULL,
            currency TEXT NOT NULL,
            labels BIGINT NOT NULL DEFAULT 0,
            seconds DOUBLE PRECISION NOT NULL DEFAULT 0,
            reverses BIGINT UNIQUE REFERENCES pay_entries(id),
            created_at DOUBLE PRECISION NOT NULL
        );
        CREATE INDEX pay_entries_project ON pay_entries(project_id, created_at);
        CREATE INDEX pay_entries_user ON pay_entries(user_id, created_at);
        CREATE INDEX pay_entries_task ON pay_entries(task_id);
        CREATE TABLE payouts (
            id BIGSERIAL PRIMARY KEY,
            project_id BIGINT NOT NULL REFERENCES projects(id),
            from_at DOUBLE PRECISION NOT NULL,
            to_at DOUBLE PRECISION NOT NULL,
            total BIGINT NOT NULL,
            entries BIGINT NOT NULL,
            closed_at DOUBLE PRECISION NOT NULL,
            closed_by BIGINT REFERENCES users(id)
        );
        CREATE INDEX payouts_project ON payouts(project_id, from_at);
        CREATE TABLE remediations (
            id BIGSERIAL PRIMARY KEY,
            project_id BIGINT NOT NULL REFERENCES projects(id),
            outcome TEXT NOT NULL,
            created_by BIGINT REFERENCES users(id),
            created_at DOUBLE PRECISION NOT NULL
        );
        CREATE INDEX remediations_project ON remediations(project_id);
        -- The ledger and the payouts never change once written (as audit_events).
        CREATE TRIGGER pay_entries_append_only BEFORE UPDATE OR DELETE ON pay_entries
            FOR EACH ROW EXECUTE FUNCTION swath_append_only();
        CREATE TRIGGER pay_entries_no_truncate BEFORE TRUNCATE ON pay_entries
            FOR EACH STATEMENT EXECUTE FUNCTION swath_append_only();
        CREATE TRIGGER payouts_append_only BEFORE UPDATE OR DELETE ON payouts
            FOR EACH ROW EXECUTE FUNCTION swath_append_only();
        CREATE TRIGGER payouts_no_truncate BEFORE TRUNCATE ON payouts
            FOR EACH STATEMENT EXECUTE FUNCTION swath_append_only();
        -- Nothing is entered into a closed period. The lock comes first and the check is a statement of its own,
        -- so it sees a payout committed while it waited (see the comment on this migration).
        CREATE FUNCTION swath_pay_period_open() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            PERFORM 1 FROM projects WHERE id = NEW.project_id FOR SHARE;
            IF EXISTS (SELECT 1 FROM payouts p WHERE p.project_id = NEW.project_id
                       AND NEW.created_at >= p.from_at AND NEW.created_at < p.to_at) THEN
                RAISE EXCEPTION 'the pay period is closed' USING ERRCODE = 'insufficient_privilege';
            END IF;
            RETURN NEW;
        END $$;
        CREATE TRIGGER pay_entries_closed_period BEFORE INSERT ON pay_entries
            FOR EACH ROW EXECUTE FUNCTION swath_pay_period_open();
        """
}
