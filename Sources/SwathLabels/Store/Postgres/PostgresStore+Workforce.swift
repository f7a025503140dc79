import Foundation
import PostgresNIO
import SwathGeo

/// Qualification tasks, annotators' standings, cohorts and rejections (see the SQLite store's twin).
extension PostgresStore {
    public func setQualificationTask(taskId: TaskID, qualification: Bool, actor: UserID?, at: Date) async throws {
        try await write { session in
            // Locked: the gold check and the change are one decision, whichever server makes it.
            guard let row = try await session.row("SELECT project_id, gold FROM tasks WHERE id = \(taskId) FOR UPDATE") else {
                throw LabelingError.notFound("task \(taskId) not found")
            }
            guard try row.get("gold", as: Bool.self) else { throw LabelingError.conflict("task \(taskId) is not gold; mark it gold first") }
            try await session.run("""
                UPDATE tasks SET qualification = \(qualification), updated_at = \(Self.time(at)) WHERE id = \(taskId)
                """)
            try await Self.audit(session, projectId: try row.get("project_id", as: ProjectID.self), actor: actor, action: "task.qualification",
                                 entity: "task", entityId: taskId, after: .object(["qualification": .bool(qualification)]), at: at)
        }
    }

    public func qualificationTaskIds(projectId: ProjectID) async throws -> [TaskID] {
        try await read { session in
            try await session.values(Int64.self, "SELECT id FROM tasks WHERE project_id = \(projectId) AND qualification ORDER BY id")
        }
    }

    public func qualificationResults(projectId: ProjectID, userId: UserID) async throws -> [GoldResult] {
        try await read { session in
            try await session.rows("""
                SELECT g.* FROM gold_results g JOIN tasks t ON t.id = g.task_id
                WHERE g.project_id = \(projectId) AND g.user_id = \(userId) AND t.qualification ORDER BY g.id
                """).map(Self.goldResult)
        }
    }

    public func standing(projectId: ProjectID, userId: UserID) async throws -> AnnotatorStanding? {
        try await read { session in
            try await session.row("SELECT * FROM standings WHERE project_id = \(projectId) AND user_id = \(userId)").map(Self.standing)
        }
    }

    public func standings(projectId: ProjectID) async throws -> [AnnotatorStanding] {
        try await read { session in
            try await session.rows("SELECT * FROM standings WHERE project_id = \(projectId) ORDER BY user_id").map(Self.standing)
        }
    }

    public func setStanding(_ standing: AnnotatorStanding, actor: UserID?) async throws {
        guard standing.state != .paused else { throw LabelingError.invalid("paused comes from gold pauses and is not stored") }
        try await write { session in
            // Locked when it exists, so two changes at once audit their befores in order (a first one meets the upsert).
            let before = try await session.row("""
                SELECT * FROM standings WHERE project_id = \(standing.projectId) AND user_id = \(standing.userId) FOR UPDATE
                """).map(Self.standing)
            if let before, before.state == standing.state, before.reason == standing.reason, before.resultsSince == standing.resultsSince { return }
            try await session.run("""
                INSERT INTO standings (project_id, user_id, state, reason, updated_at, results_since)
                VALUES (\(standing.projectId), \(standing.userId), \(standing.state.rawValue), \(standing.reason),
                    \(Self.time(standing.updatedAt)), \(standing.resultsSince.map(Self.time)))
                ON CONFLICT (project_id, user_id) DO UPDATE SET state = EXCLUDED.state, reason = EXCLUDED.reason,
                    updated_at = EXCLUDED.updated_at, results_since = EXCLUDED.results_since
                """)
            try await Self.audit(session, projectId: standing.projectId, actor: actor, action: "annotator.standing", entity: "user",
                                 entityId: standing.userId, before: before.map(SQLiteStore.snapshot), after: SQLiteStore.snapshot(standing),
                                 at: standing.updatedAt)
        }
    }

    public func createCohort(codename: String, vendor: String?, actor: UserID?, at: Date) async throws -> Cohort {
        try await write { session in
            // ON CONFLICT: two servers creating the same codename at once get one cohort and one conflict.
            guard let id = try await session.value(Int64.self, """
                INSERT INTO cohorts (codename, vendor, created_at) VALUES (\(codename), \(vendor), \(Self.time(at)))
                ON CONFLICT (codename) DO NOTHING RETURNING id
                """) else {
                throw LabelingError.conflict("a cohort named '\(codename)' exists")
            }
            let cohort = Cohort(id: id, codename: codename, vendor: vendor, createdAt: at)
            try await Self.audit(session, projectId: nil, actor: actor, action: "cohort.created", entity: "cohort", entityId: id,
                                 after: .object(["codename": .string(codename)]), at: at)
            return cohort
        }
    }

    public func cohorts() async throws -> [Cohort] {
        try await read { session in
            try await session.rows("SELECT * FROM cohorts ORDER BY id").map { row in
                Cohort(id: try row.get("id"), codename: try row.get("codename"), vendor: try row.get("vendor"),
                       createdAt: Self.date(try row.get("created_at")))
            }
        }
    }

    public func setCohort(userId: UserID, cohortId: CohortID?, actor: UserID?, at: Date) async throws {
        try await write { session in
            // The user's row locked (NO KEY UPDATE: other writers' foreign-key checks pass): two moves of one annotator
            // record their befores in order.
            guard try await session.row("SELECT 1 FROM users WHERE id = \(userId) FOR NO KEY UPDATE") != nil else {
                throw LabelingError.notFound("user \(userId) not found")
            }
            let before = try await session.value(CohortID.self, "SELECT cohort_id FROM cohort_members WHERE user_id = \(userId)")
            if let cohortId {
                guard try await session.row("SELECT 1 FROM cohorts WHERE id = \(cohortId)") != nil else {
                    throw LabelingError.notFound("cohort \(cohortId) not found")
                }
                try await session.run("""
                    INSERT INTO cohort_members (user_id, cohort_id) VALUES (\(userId), \(cohortId))
                    ON CONFLICT (user_id) DO UPDATE SET cohort_id = EXCLUDED.cohort_id
                    """)
            } else {
                try await session.run("DELETE FROM cohort_members WHERE user_id = \(userId)")
            }
            try await Self.audit(session, projectId: nil, actor: actor, action: "cohort.member", entity: "user", entityId: userId,
                                 before: .object(["cohortId": before.map { .number(Double($0)) } ?? .null]),
                                 after: .object(["cohortId": cohortId.map { .number(Double($0)) } ?? .null]), at: at)
        }
    }

    public func cohortMembers() async throws -> [UserID: CohortID] {
        try await read { session in
            var members: [UserID: CohortID] = [:]
            for row in try await session.rows("SELECT user_id, cohort_id FROM cohort_members") {
                members[try row.get("user_id", as: UserID.self)] = try row.get("cohort_id", as: CohortID.self)
            }
            return members
        }
    }

    public func userNames(_ ids: [UserID]) async throws -> [UserID: String] {
        try await read { session in
            var names: [UserID: String] = [:]
            for row in try await session.rows("SELECT id, name FROM users WHERE id = ANY(\(ids))") {
                names[try row.get("id", as: UserID.self)] = try row.get("name", as: String.self)
            }
            return names
        }
    }

    public func annotatorIds(projectId: ProjectID) async throws -> [UserID] {
        try await read { session in
            try await session.values(Int64.self, """
                SELECT user_id FROM memberships WHERE project_id = \(projectId) AND role = 'annotator' ORDER BY user_id
                """)
        }
    }

    public func handedIn(projectId: ProjectID, userId: UserID, since: Date) async throws -> Int {
        try await read { session in
            try await session.value(Int.self, """
                SELECT (SELECT COUNT(*) FROM assignments WHERE project_id = \(projectId) AND user_id = \(userId)
                        AND submitted_at >= \(Self.time(since)) AND status <> 'in_progress')
                    + (SELECT COUNT(*) FROM tasks WHERE project_id = \(projectId) AND assignee_id = \(userId)
                       AND submitted_at >= \(Self.time(since)) AND status IN ('submitted', 'accepted'))
                """) ?? 0
        }
    }

    public func rejections(projectId: ProjectID) async throws -> [(userId: UserID, taskId: TaskID, at: Date)] {
        let rows = try await read { session in
            // Reviews first, then turns, each in id order (the order SQLite gives the same UNION ALL).
            try await session.rows("""
                SELECT r.submitter_id AS user_id, r.task_id, r.created_at, 0 AS part, r.id FROM reviews r JOIN tasks t ON t.id = r.task_id
                WHERE t.project_id = \(projectId) AND r.decision = 'reject' AND r.submitter_id IS NOT NULL
                UNION ALL
                SELECT user_id, task_id, submitted_at, 1, id FROM assignments WHERE project_id = \(projectId) AND status = 'rejected'
                ORDER BY part, id
                """).map { row in
                (try row.get("user_id", as: UserID.self), try row.get("task_id", as: TaskID.self),
                 Self.date(try row.get("created_at", as: Double?.self) ?? 0))
            }
        }
        return rows.map { (userId: $0.0, taskId: $0.1, at: $0.2) }
    }

    static func standing(_ row: PostgresRandomAccessRow) throws -> AnnotatorStanding {
        AnnotatorStanding(projectId: try row.get("project_id"), userId: try row.get("user_id"),
                          state: StandingState(rawValue: try row.get("state")) ?? .applicant, reason: try row.get("reason"),
                          updatedAt: date(try row.get("updated_at", as: Double.self)),
                          resultsSince: date(try row.get("results_since", as: Double?.self)))
    }

    static func goldResult(_ row: PostgresRandomAccessRow) throws -> GoldResult {
        GoldResult(projectId: try row.get("project_id"), userId: try row.get("user_id"), taskId: try row.get("task_id"),
                   f1: try row.get("f1"), boundaryF1: try row.get("boundary_f1"), createdAt: date(try row.get("created_at", as: Double.self)))
    }
}
