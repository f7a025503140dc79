import Foundation

/// Qualification and standing: applicants work only qualification tasks
/// until their results pass (`QualificationRules`); managers see everyone's
/// standing and may qualify, remove or give a fresh start; annotators see
/// their own and why.
extension LabelingService {
    /// The standing that governs claims: removed or applicant from the stored
    /// standing (an annotator of a project requiring qualification starts as
    /// an applicant), paused from an active gold pause, qualified otherwise.
    /// `detailed`: the pause's figures, for managers (annotators are told why, not which of their tasks were gold).
    func standing(project: Project, userId: UserID, detailed: Bool) async throws -> AnnotatorStanding {
        let stored = try await store.standing(projectId: project.id, userId: userId)
        if stored?.state == .removed, let stored { return stored }
        if let pause = try await store.pauses(projectId: project.id).last(where: { $0.userId == userId && $0.isActive }) {
            return AnnotatorStanding(projectId: project.id, userId: userId, state: .paused,
                                     reason: "paused for low accuracy on gold tasks" + (detailed ? " (\(pause.reason))" : "")
                                         + "; a manager can reinstate you", updatedAt: pause.pausedAt)
        }
        if let stored { return stored }
        if let qualification = project.settings.qualification {
            return AnnotatorStanding(projectId: project.id, userId: userId, state: .applicant,
                                     reason: "qualification required: \(qualification.tasksPerAttempt) qualification tasks with a mean F1 of at least "
                                         + String(format: "%.2f", qualification.threshold) + ", \(qualification.attempts) attempts",
                                     updatedAt: project.createdAt)
        }
        return AnnotatorStanding(projectId: project.id, userId: userId, state: .qualified, reason: "no qualification required",
                                 updatedAt: project.createdAt)
    }

    /// The claim policy's part of the standing: removed annotators claim nothing, applicants only qualification
    /// tasks. One indexed read on the claim path (a gold pause is the store's to refuse, in the claim's
    /// transaction); for an applicant the verdict is worked out again first, so a result whose standing update
    /// was lost (a stop between the two) still counts.
    func applyStanding(_ policy: inout ClaimPolicy, project: Project, userId: UserID) async throws {
        var stored = try await store.standing(projectId: project.id, userId: userId)
        if project.settings.qualification != nil, (stored?.state ?? .applicant) == .applicant {
            try await judgeQualification(project: project, userId: userId)
            stored = try await store.standing(projectId: project.id, userId: userId)
        }
        if let stored, stored.state == .removed {
            throw LabelingError.forbidden("you were removed from this project's work: \(stored.reason)")
        }
        if project.settings.qualification != nil, (stored?.state ?? .applicant) == .applicant { policy.qualificationOnly = true }
    }

    /// What an applicant may hand in: only qualification tasks; a removed annotator nothing (a task held when the
    /// standing changed is not real work they may still be paid for).
    func checkStandingToSubmit(project: Project, userId: UserID, taskId: TaskID) async throws {
        let stored = try await store.standing(projectId: project.id, userId: userId)
        if let stored, stored.state == .removed {
            throw LabelingError.forbidden("you were removed from this project's work: \(stored.reason)")
        }
        if project.settings.qualification != nil, (stored?.state ?? .applicant) == .applicant,
           try await !store.qualificationTaskIds(projectId: project.id).contains(taskId) {
            throw LabelingError.forbidden("you have not qualified in this project yet: only qualification tasks can be handed in")
        }
    }

    /// An applicant may not give a qualification task back to pick another (they would see every test and take the easy ones).
    func checkCanRelease(project: Project, userId: UserID, taskId: TaskID) async throws {
        guard project.settings.qualification != nil, try await store.qualificationTaskIds(projectId: project.id).contains(taskId) else { return }
        throw LabelingError.conflict("a qualification task cannot be skipped; hand it in as well as you can")
    }

    /// After a qualification task's result is stored: the applicant's standing moves on.
    func recordQualification(project: Project, userId: UserID, taskId: TaskID) async throws {
        guard project.settings.qualification != nil,
              try await store.qualificationTaskIds(projectId: project.id).contains(taskId) else { return }
        try await judgeQualification(project: project, userId: userId)
    }

    /// The applicant's verdict from their qualification results since their last fresh start, stored when it changed.
    private func judgeQualification(project: Project, userId: UserID) async throws {
        guard let settings = project.settings.qualification else { return }
        let stored = try await store.standing(projectId: project.id, userId: userId)
        guard (stored?.state ?? .applicant) == .applicant else { return }
        let since = stored?.resultsSince ?? .distantPast
        let results = try await store.qualificationResults(projectId: project.id, userId: userId).filter { $0.createdAt > since }
        let verdict = QualificationRules.verdict(f1: results.map(\.f1), settings: settings)
        // Nothing to judge since the last fresh start: the standing (or the default applicant one) says it already.
        guard !results.isEmpty else { return }
        try await store.setStanding(AnnotatorStanding(projectId: project.id, userId: userId, state: verdict.state, reason: verdict.reason,
                                                      updatedAt: now(), resultsSince: stored?.resultsSince), actor: nil)
    }

    /// Marks a gold task as a qualification task, or back to ordinary gold (managers).
    public func setQualificationTask(taskId: TaskID, qualification: Bool, by caller: User) async throws {
        let (_, _, access) = try await taskAccess(caller, taskId: taskId)
        try access.require(.manager, to: "choosing qualification tasks")
        try await store.setQualificationTask(taskId: taskId, qualification: qualification, actor: caller.auditId, at: now())
    }

    /// Every annotator's standing (managers), with names and cohorts.
    public func standings(projectId: ProjectID, by caller: User) async throws -> [StandingView] {
        let (project, access) = try await access(caller, projectId: projectId)
        try access.require(.manager, to: "reading annotators' standing")
        let cohorts = Dictionary(uniqueKeysWithValues: try await store.cohorts().map { ($0.id, $0.codename) })
        let members = try await store.cohortMembers()
        let annotators = try await store.annotatorIds(projectId: projectId)
        let names = try await store.userNames(annotators)
        var views: [StandingView] = []
        for userId in annotators {
            var view = try await standingView(project: project, userId: userId, detailed: true)
            view.name = names[userId]
            view.cohort = members[userId].flatMap { cohorts[$0] }
            views.append(view)
        }
        return views
    }

    /// A manager sets a standing: qualified (no test needed), removed, or applicant again (a fresh start: earlier results no longer count).
    public func setStanding(projectId: ProjectID, userId: UserID, state: StandingState, reason: String?, by caller: User) async throws -> StandingView {
        let (project, access) = try await access(caller, projectId: projectId)
        try access.require(.manager, to: "changing annotators' standing")
        guard state != .paused else { throw LabelingError.invalid("state: paused comes from gold accuracy; use reinstate to end a pause") }
        guard try await store.roles(userId: userId, projectId: projectId).contains(.annotator) else {
            throw LabelingError.invalid("userId: user \(userId) is not an annotator of project \(projectId)")
        }
        let note = (reason ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        guard note.count <= 500 else { throw LabelingError.invalid("reason is longer than 500 characters") }
        let at = now()
        let said = "set by a manager" + (note.isEmpty ? "" : ": \(note)")
        try await store.setStanding(AnnotatorStanding(projectId: projectId, userId: userId, state: state, reason: said, updatedAt: at,
                                                      resultsSince: state == .applicant ? at : nil), actor: caller.auditId)
        return try await standingView(project: project, userId: userId, detailed: true)
    }

    /// The caller's own page in a project: standing, this week's work, gold accuracy (annotators).
    public func annotatorPage(projectId: ProjectID, for caller: User) async throws -> AnnotatorPageView {
        let (project, access) = try await access(caller, projectId: projectId)
        try access.require(.annotator, to: "reading your standing")
        let weekStart = UTCDay.weekStart(now())
        // Gold accuracy as of the start of today (UTC): a figure that moved right after a submission would tell the
        // annotator (and whoever they tell) which task was gold.
        let today = UTCDay.dayStart(now())
        let qualificationTasks = Set(try await store.qualificationTaskIds(projectId: projectId))
        let gold = try await store.annotatorHistory(projectId: projectId, userId: caller.id).gold
            .filter { !qualificationTasks.contains($0.taskId) && $0.createdAt < today }
        return AnnotatorPageView(projectId: projectId, codename: project.codename,
                                 standing: try await standingView(project: project, userId: caller.id, detailed: false),
                                 weekStart: UTCDay.string(weekStart),
                                 tasksThisWeek: try await store.handedIn(projectId: projectId, userId: caller.id, since: weekStart),
                                 goldTasks: gold.count, goldF1: gold.isEmpty ? nil : gold.map(\.f1).reduce(0, +) / Double(gold.count),
                                 currency: project.settings.pay?.currency)
    }

    private func standingView(project: Project, userId: UserID, detailed: Bool) async throws -> StandingView {
        let standing = try await standing(project: project, userId: userId, detailed: detailed)
        let since = standing.resultsSince ?? .distantPast
        let results = project.settings.qualification == nil ? []
            : try await store.qualificationResults(projectId: project.id, userId: userId).filter { $0.createdAt > since }
        return StandingView(userId: userId, name: nil, cohort: nil, state: standing.state, reason: standing.reason,
                            qualification: project.settings.qualification, qualificationF1: results.map(\.f1),
                            // Not when a pause began, for the annotator: that is a gold result's time.
                            updatedAt: standing.state == .paused && !detailed ? nil : standing.updatedAt)
    }
}
