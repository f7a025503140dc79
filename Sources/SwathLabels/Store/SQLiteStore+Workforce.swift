import Foundation
import GRDB
import SwathGeo

/// Qualification tasks, annotators' standings, cohorts and rejections.
extension SQLiteStore {
    public func setQualificationTask(taskId: TaskID, qualification: Bool, actor: UserID?, at: Date) async throws {
        try await write { db in
            guard let row = try db.row("SELECT project_id, gold FROM tasks WHERE id = ?", arguments: [taskId]) else {
                throw LabelingError.notFound("task \(taskId) not found")
            }
            guard row["gold"] as Bool else { throw LabelingError.conflict("task \(taskId) is not gold; mark it gold first") }
            try db.run("UPDATE tasks SET qualification = ?, updated_at = ? WHERE id = ?", arguments: [qualification, Self.time(at), taskId])
            try Self.audit(db, projectId: row["project_id"], actor: actor, action: "task.qualification", entity: "task", entityId: taskId,
                           after: .object(["qualification": .bool(qualification)]), at: at)
        }
    }

    public func qualificationTaskIds(projectId: ProjectID) async throws -> [TaskID] {
        try await pool.read { db in
            try db.values(TaskID.self, "SELECT id FROM tasks WHERE project_id = ? AND qualification = 1 ORDER BY id", arguments: [projectId])
        }
    }

    public func qualificationResults(projectId: ProjectID, userId: UserID) async throws -> [GoldResult] {
        try await pool.read { db in
            try db.rows("""
                SELECT g.* FROM gold_results g JOIN tasks t ON t.id = g.task_id
                WHERE g.project_id = ? AND g.user_id = ? AND t.qualification = 1 ORDER BY g.id
                """, arguments: [projectId, userId]).map(Self.goldResult)
        }
    }

    public func standing(projectId: ProjectID, userId: UserID) async throws -> AnnotatorStanding? {
        try await pool.read { db in
            try db.row("SELECT * FROM standings WHERE project_id = ? AND user_id = ?", arguments: [projectId, userId]).map(Self.standing)
        }
    }

    public func standings(projectId: ProjectID) async throws -> [AnnotatorStanding] {
        try await pool.read { db in
            try db.rows("SELECT * FROM standings WHERE project_id = ? ORDER BY user_id", arguments: [projectId]).map(Self.standing)
        }
    }

    public func setStanding(_ standing: AnnotatorStanding, actor: UserID?) async throws {
        guard standing.state != .paused else { throw LabelingError.invalid("paused comes from gold pauses and is not stored") }
        try await write { db in
            let before = try db.row("SELECT * FROM standings WHERE project_id = ? AND user_id = ?",
                                    arguments: [standing.projectId, standing.userId]).map(Self.standing)
            if let before, before.state == standing.state, before.reason == standing.reason, before.resultsSince == standing.resultsSince { return }
            try db.run("""
                INSERT INTO standings (project_id, user_id, state, reason, updated_at, results_since) VALUES (?, ?, ?, ?, ?, ?)
                ON CONFLICT (project_id, user_id) DO UPDATE SET state = excluded.state, reason = excluded.reason, updated_at = excluded.updated_at,
                    results_since = excluded.results_since
                """, arguments: [standing.projectId, standing.userId, standing.state.rawValue, standing.reason, Self.time(standing.updatedAt),
                                 standing.resultsSince.map(Self.time)])
            try Self.audit(db, projectId: standing.projectId, actor: actor, action: "annotator.standing", entity: "user",
                           entityId: standing.userId, before: before.map(Self.snapshot), after: Self.snapshot(standing), at: standing.updatedAt)
        }
    }

    public func createCohort(codename: String, vendor: String?, actor: UserID?, at: Date) async throws -> Cohort {
        try await write { db in
            guard try db.row("SELECT 1 FROM cohorts WHERE codename = ?", arguments: [codename]) == nil else {
                throw LabelingError.conflict("a cohort named '\(codename)' exists")
            }
            try db.run("INSERT INTO cohorts (codename, vendor, created_at) VALUES (?, ?, ?)", arguments: [codename, vendor, Self.time(at)])
            let cohort = Cohort(id: db.lastInsertedRowID, codename: codename, vendor: vendor, createdAt: at)
            try Self.audit(db, projectId: nil, actor: actor, action: "cohort.created", entity: "cohort", entityId: cohort.id,
                           after: .object(["codename": .string(codename)]), at: at)
            return cohort
        }
    }

    public func cohorts() async throws -> [Cohort] {
        try await pool.read { db in
            try db.rows("SELECT * FROM cohorts ORDER BY id").map { row in
                Cohort(id: row["id"], codename: row["codename"], vendor: row["vendor"], createdAt: Self.date(row["created_at"] as Double))
            }
        }
    }

    public func setCohort(userId: UserID, cohortId: CohortID?, actor: UserID?, at: Date) async throws {
        try await write { db in
            guard try db.row("SELECT 1 FROM users WHERE id = ?", arguments: [userId]) != nil else {
                throw LabelingError.notFound("user \(userId) not found")
            }
            let before = try db.value(CohortID.self, "SELECT cohort_id FROM cohort_members WHERE user_id = ?", arguments: [userId])
            if let cohortId {
                guard try db.row("SELECT 1 FROM cohorts WHERE id = ?", arguments: [cohortId]) != nil else {
                    throw LabelingError.notFound("cohort \(cohortId) not found")
                }
                try db.run("""
                    INSERT INTO cohort_members (user_id, cohort_id) VALUES (?, ?)
                    ON CONFLICT (user_id) DO UPDATE SET cohort_id = excluded.cohort_id
                    """, arguments: [userId, cohortId])
            } else {
                try db.run("DELETE FROM cohort_members WHERE user_id = ?", arguments: [userId])
            }
            try Self.audit(db, projectId: nil, actor: actor, action: "cohort.member", entity: "user", entityId: userId,
                           before: .object(["cohortId": before.map { .number(Double($0)) } ?? .null]),
                           after: .object(["cohortId": cohortId.map { .number(Double($0)) } ?? .null]), at: at)
        }
    }

    public func cohortMembers() async throws -> [UserID: CohortID] {
        try await pool.read { db in
            var members: [UserID: CohortID] = [:]
            for row in try db.rows("SELECT user_id, cohort_id FROM cohort_members") { members[row[0]] = row[1] }
            return members
        }
    }

    public func userNames(_ ids: [UserID]) async throws -> [UserID: String] {
        try await pool.read { db in
            var names: [UserID: String] = [:]
            // In slices: SQLite takes at most a few thousand parameters per statement.
            for start in stride(from: 0, to: ids.count, by: 500) {
                let slice = Array(ids[start..<min(start + 500, ids.count)])
                let marks = Array(repeating: "?", count: slice.count).joined(separator: ",")
                for row in try db.rows("SELECT id, name FROM users WHERE id IN (\(marks))", arguments: StatementArguments(slice)) {
                    names[row[0]] = row[1]
                }
            }
            return names
        }
    }

    public func annotatorIds(projectId: ProjectID) async throws -> [UserID] {
        try await pool.read { db in
            try db.values(UserID.self, "SELECT user_id FROM memberships WHERE project_id = ? AND role = 'annotator' ORDER BY user_id",
                          arguments: [projectId])
        }
    }

    public func handedIn(projectId: ProjectID, userId: UserID, since: Date) async throws -> Int {
        try await pool.read { db in
            let turns = try db.value(Int.self, """
                SELECT COUNT(*) FROM assignments WHERE project_id = ? AND user_id = ? AND submitted_at >= ? AND status != 'in_progress'
                """, arguments: [projectId, userId, Self.time(since)]) ?? 0
            let single = try db.value(Int.self, """
                SELECT COUNT(*) FROM tasks WHERE project_id = ? AND assignee_id = ? AND submitted_at >= ? AND status IN ('submitted', 'accepted')
                """, arguments: [projectId, userId, Self.time(since)]) ?? 0
            return turns + single
        }
    }

    public func rejections(projectId: ProjectID) async throws -> [(userId: UserID, taskId: TaskID, at: Date)] {
        try await pool.read { db in
            try db.rows("""
                SELECT r.submitter_id AS user_id, r.task_id, r.created_at FROM reviews r JOIN tasks t ON t.id = r.task_id
                WHERE t.project_id = ? AND r.decision = 'reject' AND r.submitter_id IS NOT NULL
                UNION ALL
                SELECT user_id, task_id, submitted_at FROM assignments WHERE project_id = ? AND status = 'rejected'
                """, arguments: [projectId, projectId]).map { row in
                (userId: row["user_id"] as UserID, taskId: row["task_id"] as TaskID, at: Self.date(row["created_at"] as Double? ?? 0))
            }
        }
    }

    static func standing(_ row: Row) -> AnnotatorStanding {
        AnnotatorStanding(projectId: row["project_id"], userId: row["user_id"], state: StandingState(rawValue: row["state"]) ?? .applicant,
                          reason: row["reason"], updatedAt: date(row["updated_at"] as Double), resultsSince: date(row["results_since"] as Double?))
    }

    static func snapshot(_ standing: AnnotatorStanding) -> JSONValue {
        .object(["state": .string(standing.state.rawValue), "reason": .string(standing.reason)])
    }

    static func goldResult(_ row: Row) -> GoldResult {
        GoldResult(projectId: row["project_id"], userId: row["user_id"], taskId: row["task_id"], f1: row["f1"],
                   boundaryF1: row["boundary_f1"], createdAt: date(row["created_at"] as Double))
    }
}
