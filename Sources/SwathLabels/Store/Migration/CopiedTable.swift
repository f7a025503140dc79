/// A table `swath admin migrate-db` copies: in foreign-key order, each with
/// the columns both stores share (generated columns left to PostgreSQL).
struct CopiedTable: Sendable {
    var name: String
    var columns: [CopiedColumn]
    /// The columns rows are ordered by, so both sides hash the same sequence.
    var orderBy: String
    /// Whether the table's `id` comes from a sequence to move past the copied ids.
    var hasSequence: Bool

    static let all: [CopiedTable] = [
        CopiedTable("users", ["id": .integer, "name": .text, "is_admin": .boolean, "created_at": .real]),
        CopiedTable("tokens", ["id": .integer, "user_id": .integer, "hash": .text, "created_at": .real, "revoked_at": .real]),
        CopiedTable("projects", ["id": .integer, "customer": .text, "codename": .text, "taxonomy": .text, "settings": .text,
                                 "created_at": .real, "version": .integer]),
        CopiedTable("memberships", ["project_id": .integer, "user_id": .integer, "role": .text], orderBy: "project_id, user_id, role",
                    hasSequence: false),
        CopiedTable("scenes", ["id": .integer, "project_id": .integer, "uri": .text, "crs_wkt": .text, "epsg": .integer,
                               "geotransform": .text, "width": .integer, "height": .integer, "band_count": .integer, "data_type": .text,
                               "acquired_at": .real, "sensor": .text, "band_roles": .text, "pre_event_scene_id": .integer,
                               "tile_size": .integer, "overlap": .integer, "min_lon": .real, "min_lat": .real, "max_lon": .real,
                               "max_lat": .real, "created_at": .real]),
        CopiedTable("tasks", ["id": .integer, "project_id": .integer, "scene_id": .integer, "col": .integer, "row": .integer,
                              "width": .integer, "height": .integer, "footprint": .text, "min_lon": .real, "min_lat": .real,
                              "max_lon": .real, "max_lat": .real, "status": .text, "assignee_id": .integer, "lease_expires_at": .real,
                              "priority": .integer, "updated_at": .real, "gold": .boolean, "agreement": .real, "claimed_at": .real,
                              "uncertainty": .real, "uncertainty_rank": .integer, "qualification": .boolean, "submitted_at": .real]),
        CopiedTable("labels", ["id": .integer, "project_id": .integer, "scene_id": .integer, "task_id": .integer, "class_id": .integer,
                               "attributes": .text, "geometry": .geometry(sceneOf: "scene_id"), "min_lon": .real, "min_lat": .real,
                               "max_lon": .real, "max_lat": .real, "annotator_id": .integer, "source": .text, "version": .integer,
                               "previous_id": .integer, "seconds_spent": .real, "created_at": .real, "superseded_at": .real,
                               "private_to": .integer, "drawn_area": .real]),
        CopiedTable("reviews", ["id": .integer, "task_id": .integer, "reviewer_id": .integer, "decision": .text, "comment": .text,
                                "created_at": .real, "submitter_id": .integer]),
        CopiedTable("audit_events", ["id": .integer, "project_id": .integer, "actor_id": .integer, "action": .text, "entity": .text,
                                     "entity_id": .integer, "before": .text, "after": .text, "at": .real]),
        CopiedTable("assignments", ["id": .integer, "project_id": .integer, "task_id": .integer, "user_id": .integer, "status": .text,
                                    "lease_expires_at": .real, "claimed_at": .real, "saved_at": .real, "submitted_at": .real]),
        CopiedTable("gold_labels", ["id": .integer, "task_id": .integer, "class_id": .integer,
                                    "geometry": .geometry(sceneOf: "(SELECT scene_id FROM tasks WHERE tasks.id = task_id)"),
                                    "created_by": .integer, "created_at": .real, "superseded_at": .real]),
        CopiedTable("gold_results", ["id": .integer, "project_id": .integer, "user_id": .integer, "task_id": .integer, "f1": .real,
                                     "boundary_f1": .real, "created_at": .real]),
        CopiedTable("pauses", ["id": .integer, "project_id": .integer, "user_id": .integer, "reason": .text, "paused_at": .real,
                               "reinstated_at": .real, "reinstated_by": .integer]),
        CopiedTable("integrity_flags", ["id": .integer, "project_id": .integer, "user_id": .integer, "task_id": .integer,
                                        "label_id": .integer, "kind": .text, "evidence": .text, "once_key": .text, "created_at": .real]),
        CopiedTable("fingerprints", ["label_id": .integer, "project_id": .integer, "scene_id": .integer, "task_id": .integer,
                                     "user_id": .integer, "vertex_count": .integer, "perimeter_bucket": .integer, "reach_bucket": .integer,
                                     "inner_bucket": .integer, "centroid_x": .real,
                                     "centroid_y": .real, "vertices": .blob, "created_at": .real], orderBy: "label_id", hasSequence: false),
        CopiedTable("shape_signatures", ["label_id": .integer, "project_id": .integer, "scene_id": .integer, "task_id": .integer,
                                         "user_id": .integer, "class_id": .integer, "area_bin": .integer, "standard": .integer, "signature": .blob,
                                         "created_at": .real], orderBy: "label_id", hasSequence: false),
        CopiedTable("reference_layers", ["id": .integer, "project_id": .integer, "name": .text, "feature_count": .integer,
                                         "created_by": .integer, "created_at": .real]),
        CopiedTable("reference_features", ["id": .integer, "layer_id": .integer, "fid": .integer, "west": .real, "south": .real,
                                           "east": .real, "north": .real, "geometry": .blob]),
        CopiedTable("reference_cells", ["cell_x": .integer, "cell_y": .integer, "feature_id": .integer],
                    orderBy: "cell_x, cell_y, feature_id", hasSequence: false),
        CopiedTable("adaptive_gold", ["project_id": .integer, "user_id": .integer, "gold_rate": .real, "updated_at": .real],
                    orderBy: "project_id, user_id", hasSequence: false),
        CopiedTable("shape_pairs", ["first_label": .integer, "second_label": .integer, "dx_bin": .integer, "dy_bin": .integer,
                                    "first_area_bin": .integer, "second_area_bin": .integer], orderBy: "first_label, second_label",
                    hasSequence: false),
        CopiedTable("pair_agreements", [CopiedColumn("id", .integer, sqliteName: "rowid"), CopiedColumn("task_id", .integer),
                                        CopiedColumn("project_id", .integer), CopiedColumn("first_user", .integer),
                                        CopiedColumn("second_user", .integer), CopiedColumn("class_id", .integer),
                                        CopiedColumn("matched", .integer), CopiedColumn("only_first", .integer),
                                        CopiedColumn("only_second", .integer), CopiedColumn("mean_matched_iou", .real),
                                        CopiedColumn("region_iou", .real), CopiedColumn("area_agreement", .real),
                                        CopiedColumn("created_at", .real)]),
        CopiedTable("submission_outbox", ["task_id": .integer, "user_id": .integer, "seconds_on_task": .real, "submitted_at": .real],
                    orderBy: "task_id, user_id", hasSequence: false),
        CopiedTable("jobs", ["id": .integer, "project_id": .integer, "kind": .text, "parameters": .text, "status": .text,
                             "attempts": .integer, "max_attempts": .integer, "run_after": .real, "worker": .text,
                             "lease_expires_at": .real, "progress_done": .integer, "progress_total": .integer, "result": .text,
                             "error": .text, "created_by": .integer, "created_at": .real, "updated_at": .real]),
        CopiedTable("releases", ["id": .integer, "project_id": .integer, "name": .text, "created_by": .integer, "created_at": .real,
                                 "label_count": .integer, "chip_count": .integer, "digest": .text, "document": .text]),
        CopiedTable("standings", ["project_id": .integer, "user_id": .integer, "state": .text, "reason": .text, "updated_at": .real,
                                  "results_since": .real], orderBy: "project_id, user_id", hasSequence: false),
        CopiedTable("cohorts", ["id": .integer, "codename": .text, "vendor": .text, "created_at": .real]),
        CopiedTable("cohort_members", ["user_id": .integer, "cohort_id": .integer], orderBy: "user_id", hasSequence: false),
        CopiedTable("task_exclusions", ["task_id": .integer, "user_id": .integer], orderBy: "task_id, user_id", hasSequence: false),
        // Before payouts: PostgreSQL refuses a ledger entry dated inside a closed payout, so the ledger goes in first.
        CopiedTable("pay_entries", ["id": .integer, "project_id": .integer, "user_id": .integer, "task_id": .integer, "cause": .text,
                                    "amount": .integer, "currency": .text, "labels": .integer, "seconds": .real, "reverses": .integer,
                                    "created_at": .real]),
        CopiedTable("payouts", ["id": .integer, "project_id": .integer, "from_at": .real, "to_at": .real, "total": .integer,
                                "entries": .integer, "closed_at": .real, "closed_by": .integer]),
        CopiedTable("remediations", ["id": .integer, "project_id": .integer, "outcome": .text, "created_by": .integer, "created_at": .real]),
    ]

    init(_ name: String, _ columns: KeyValuePairs<String, CopiedColumn.Kind>, orderBy: String = "id", hasSequence: Bool = true) {
        self.init(name, columns.map { CopiedColumn($0.key, $0.value) }, orderBy: orderBy, hasSequence: hasSequence)
    }

    init(_ name: String, _ columns: [CopiedColumn], orderBy: String = "id", hasSequence: Bool = true) {
        self.name = name
        self.columns = columns
        self.orderBy = orderBy
        self.hasSequence = hasSequence
    }
}
