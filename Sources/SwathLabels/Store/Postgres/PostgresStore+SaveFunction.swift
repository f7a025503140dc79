import PostgresNIO

extension PostgresStore {
    /// The write half of a save as a PL/pgSQL function (migration v3). The same
    /// statement sent as text was parsed and planned again on every save, half
    /// of PostgreSQL's CPU in the save benchmark; PL/pgSQL keeps its plan for
    /// the life of the connection. The lease check stays in Swift
    /// (`QueueRules.lease`, run on the locked task row just before): this is
    /// only the write that follows it. See `replacement(of:…)` for what it does.
    static let schemaV3 = """
        CREATE FUNCTION swath_replace_labels(
            p_project BIGINT, p_scene BIGINT, p_task BIGINT, p_annotator BIGINT, p_owner BIGINT, p_first_save_of_turn BIGINT,
            p_at DOUBLE PRECISION, p_class BIGINT[], p_attributes TEXT[], p_wkb BYTEA[],
            p_min_lon DOUBLE PRECISION[], p_min_lat DOUBLE PRECISION[], p_max_lon DOUBLE PRECISION[], p_max_lat DOUBLE PRECISION[],
            p_source TEXT[], p_previous BIGINT[], p_seconds DOUBLE PRECISION[], p_drawn DOUBLE PRECISION[])
        RETURNS TABLE (label_id BIGINT, kept_previous_id BIGINT, label_version BIGINT)
        LANGUAGE plpgsql AS $$
        BEGIN
            RETURN QUERY
            WITH drafts AS MATERIALIZED (
                SELECT nextval('labels_id_seq') AS id, d.*
                FROM unnest(p_class, p_attributes, p_wkb, p_min_lon, p_min_lat, p_max_lon, p_max_lat, p_source, p_previous, p_seconds,
                            p_drawn)
                    WITH ORDINALITY AS d(class_id, attributes, wkb, min_lon, min_lat, max_lon, max_lat, source, previous_id,
                                         seconds_spent, drawn_area, n)
                ORDER BY d.n),
            superseded AS (
                UPDATE labels SET superseded_at = p_at
                WHERE labels.task_id = p_task AND labels.superseded_at IS NULL AND labels.private_to IS NOT DISTINCT FROM p_owner
                RETURNING labels.id, labels.version),
            editable AS (
                SELECT s.id, s.version FROM superseded s
                UNION ALL
                SELECT l.id, l.version FROM labels l
                WHERE p_owner IS NOT NULL AND l.task_id = p_task AND l.superseded_at IS NULL AND l.private_to IS NULL),
            versioned AS (
                SELECT d.*, e.id AS kept_previous, COALESCE(e.version + 1, 1) AS new_version
                FROM drafts d LEFT JOIN editable e ON e.id = d.previous_id),
            saved AS (
                INSERT INTO labels (id, project_id, scene_id, task_id, class_id, attributes, geometry, min_lon, min_lat, max_lon, max_lat,
                    annotator_id, source, version, previous_id, seconds_spent, created_at, private_to, drawn_area)
                SELECT v.id, p_project, p_scene, p_task, v.class_id, v.attributes,
                    ST_GeomFromWKB(v.wkb, COALESCE((SELECT sc.epsg FROM scenes sc WHERE sc.id = p_scene), 0)::integer),
                    v.min_lon, v.min_lat, v.max_lon, v.max_lat, p_annotator, v.source, v.new_version, v.kept_previous, v.seconds_spent,
                    p_at, p_owner, NULLIF(v.drawn_area, 'NaN'::double precision)
                FROM versioned v),
            turn AS (
                UPDATE assignments SET saved_at = p_at WHERE assignments.id = p_first_save_of_turn),
            event AS (
                INSERT INTO audit_events (project_id, actor_id, action, entity, entity_id, before, after, at)
                VALUES (p_project, p_annotator, 'labels.saved', 'task', p_task,
                    json_build_object('labelIds', COALESCE((SELECT json_agg(s.id ORDER BY s.id) FROM superseded s), '[]'::json))::text,
                    json_build_object('labelIds', COALESCE((SELECT json_agg(d.id ORDER BY d.n) FROM drafts d), '[]'::json))::text,
                    p_at)),
            bump AS (
                -- The connection's own counter, as `versionShard` says.
                INSERT INTO project_versions AS pv (project_id, shard, bumps) VALUES (p_project, pg_backend_pid() % 256, 1)
                ON CONFLICT (project_id, shard) DO UPDATE SET bumps = pv.bumps + 1)
            SELECT v.id, v.kept_previous, v.new_version::bigint FROM versioned v ORDER BY v.n;
        END
        $$;
        """
}
