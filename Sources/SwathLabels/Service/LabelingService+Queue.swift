import Foundation

extension LabelingService {
    /// How many passed-over tasks a claim may name (the page keeps its most recent skips).
    public static let maximumSkipped = 100

    /// One open task for an annotator, at random among the highest priority
    /// (or a gold task, at the project's gold rate); nil when the queue is
    /// empty. `skipping` lists tasks the caller passed over (at most 100),
    /// which are not handed back to them. A paused annotator gets 403.
    public func claim(projectId: ProjectID, skipping: Set<TaskID> = [], by caller: User) async throws -> LabelTask? {
        let (project, access) = try await access(caller, projectId: projectId)
        try access.require(.annotator, to: "claiming tasks")
        guard skipping.count <= Self.maximumSkipped else {
            throw LabelingError.invalid("skip lists \(skipping.count) tasks; at most \(Self.maximumSkipped)")
        }
        var policy = ClaimPolicy(project.settings)
        try await applyStanding(&policy, project: project, userId: caller.id)
        // Adaptive gold: an annotator whose quality is slipping is served more gold (within the project's ceiling).
        if policy.goldRate > 0, let adapted = try await store.adaptiveGoldRate(projectId: projectId, userId: caller.id) {
            policy.goldRate = min(max(adapted, policy.goldRate), max(project.settings.goldRateCeiling, policy.goldRate))
        }
        let task = try await store.claimTask(projectId: projectId, userId: caller.id, policy: policy, skipping: skipping, at: now())
        if task == nil, policy.qualificationOnly {
            throw LabelingError.conflict("no qualification task is left for you in this project; ask a manager to add qualification tasks")
        }
        return task
    }

    /// Gives a leased task back to the queue (an annotator skipping it).
    public func release(taskId: TaskID, by caller: User) async throws -> LabelTask {
        let (_, project, access) = try await taskAccess(caller, taskId: taskId)
        try access.require(.annotator, to: "releasing a task")
        try await checkCanRelease(project: project, userId: caller.id, taskId: taskId)
        return try await store.release(taskId: taskId, userId: caller.id, at: now())
    }

    /// A project's tasks in one status, for reviewers and managers (the review queue).
    public func tasks(projectId: ProjectID, status: TaskStatus, limit: Int = 500, for caller: User) async throws -> [LabelTask] {
        let (_, access) = try await access(caller, projectId: projectId)
        try access.require(.reviewer, .manager, to: "listing a project's tasks")
        return try await store.tasks(projectId: projectId, status: status, limit: min(max(limit, 1), 5000))
    }

    public func heartbeat(taskId: TaskID, by caller: User) async throws -> LabelTask {
        let (_, project, access) = try await taskAccess(caller, taskId: taskId)
        try access.require(.annotator, to: "renewing a lease")
        return try await store.renewLease(taskId: taskId, userId: caller.id, leaseSeconds: project.settings.leaseSeconds, at: now())
    }

    /// The task as the caller sees it: an annotator on a turn of their own
    /// sees their turn, exactly as a k = 1 task looks.
    public func task(id: TaskID, for caller: User) async throws -> LabelTask {
        let (task, _, access) = try await taskAccess(caller, taskId: id)
        if access.roles == [.trainer], !access.isAdmin, task.status != .accepted {
            throw LabelingError.forbidden("trainers see accepted tasks only")
        }
        return try await view(of: task, for: caller)
    }

    /// Whether the caller holds the task, took a turn on it, or drew its
    /// labels (a rejected k = 1 task is back in the queue with nobody on it).
    func worked(on task: LabelTask, caller: User) async throws -> Bool {
        if task.assigneeId == caller.id { return true }
        if try await store.assignments(taskId: task.id).contains(where: { $0.userId == caller.id }) { return true }
        return try await store.labels(taskId: task.id, privateTo: nil).contains { $0.annotatorId == caller.id && !$0.source.isPreLabel }
    }

    /// The caller's latest turn on the task, if they took one; the task itself otherwise.
    func view(of task: LabelTask, for caller: User) async throws -> LabelTask {
        guard let turn = try await store.assignments(taskId: task.id).last(where: { $0.userId == caller.id }) else { return task }
        return turn.view(of: task)
    }

    /// Hands the caller's work in, then checks it: integrity flags (stored for
    /// managers), the gold score on a gold task, and the consensus once the
    /// k-th submission of a consensus task is in.
    public func submit(taskId: TaskID, by caller: User) async throws -> LabelTask {
        let (task, project, access) = try await taskAccess(caller, taskId: taskId)
        try access.require(.annotator, to: "submitting a task")
        try await checkStandingToSubmit(project: project, userId: caller.id, taskId: taskId)
        let submitted = try await store.submit(taskId: taskId, userId: caller.id, at: now())
        // The submission is acknowledged once the store has it. Its checks were queued in the same
        // transaction and run now; should they fail, `finishPendingSubmissions` runs them again later.
        if let pending = try await store.pendingSubmission(taskId: taskId, userId: caller.id) {
            do {
                try await afterSubmission(pending, task: task, project: project)
            } catch {
                backgroundFailure("checks of task \(taskId)'s submission by user \(caller.id) failed and stay queued: \(error)")
            }
        }
        return submitted
    }

    public func review(taskId: TaskID, decision: ReviewDecision, comment: String?, by caller: User) async throws -> LabelTask {
        let (_, _, access) = try await taskAccess(caller, taskId: taskId)
        try access.require(.reviewer, .manager, to: "reviewing tasks")
        if let comment, comment.count > 10_000 { throw LabelingError.invalid("comment is longer than 10000 characters") }
        if decision == .reject, (comment ?? "").trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            throw LabelingError.invalid("a rejection needs a comment saying what to fix")
        }
        return try await store.review(taskId: taskId, reviewerId: caller.id, decision: decision, comment: comment, at: now())
    }

    /// Review history names reviewers and says what was wrong with someone's
    /// work: reviewers, managers and the task's own annotators only.
    public func reviews(taskId: TaskID, for caller: User) async throws -> [Review] {
        let (task, _, access) = try await taskAccess(caller, taskId: taskId)
        if !access.has(.reviewer, .manager), !(try await worked(on: task, caller: caller)) {
            throw LabelingError.forbidden("review history is for reviewers, managers and the task's own annotator")
        }
        return try await store.reviews(taskId: taskId)
    }

    public func audit(projectId: ProjectID, afterId: Int64 = 0, limit: Int = 500, for caller: User) async throws -> [AuditEvent] {
        let (_, access) = try await access(caller, projectId: projectId)
        try access.require(.manager, to: "reading the audit trail")
        return try await store.auditEvents(projectId: projectId, afterId: afterId, limit: min(max(limit, 1), 5000))
    }
}
