import Foundation

/// Everything the labeling service keeps. Each mutation commits together with
/// its audit event in one transaction, and the queue operations are atomic
/// check-and-set, so the rules hold under any concurrency.
///
/// The SQLite implementation (`SQLiteStore`) serves one machine; the protocol
/// asks nothing SQLite-specific, so a PostgreSQL/PostGIS store can follow
/// (claims become `SELECT … FOR UPDATE SKIP LOCKED`).
public protocol Store: Sendable {
    // Users and tokens (tokens are stored only as SHA-256 hashes).
    func createUser(name: String, isAdmin: Bool, tokenHash: String, actor: UserID?, at: Date) async throws -> User
    func addToken(userId: UserID, tokenHash: String, actor: UserID?, at: Date) async throws
    func revokeTokens(userId: UserID, actor: UserID?, at: Date) async throws
    func user(id: UserID) async throws -> User?
    /// The user a live (unrevoked) token hash belongs to.
    func user(tokenHash: String) async throws -> User?
    func userCount() async throws -> Int

    // Projects and members.
    func createProject(_ draft: ProjectDraft, actor: UserID?, at: Date) async throws -> Project
    func project(id: ProjectID) async throws -> Project?
    /// All projects (nil) or those `memberId` has a role in.
    func projects(memberId: UserID?) async throws -> [Project]
    func addMember(projectId: ProjectID, userId: UserID, role: Role, actor: UserID?, at: Date) async throws
    func roles(userId: UserID, projectId: ProjectID) async throws -> Set<Role>

    // Scenes and their tasks.
    func createScene(_ draft: SceneDraft, tasks: [TaskDraft], actor: UserID?, at: Date) async throws -> Scene
    func scene(id: SceneID) async throws -> Scene?
    func scenes(projectId: ProjectID) async throws -> [Scene]
    func task(id: TaskID) async throws -> LabelTask?
    /// A task and the user's roles in its project, read together (one round trip on hot routes).
    func taskAccess(taskId: TaskID, userId: UserID) async throws -> (task: LabelTask, roles: Set<Role>)?
    func tasks(sceneId: SceneID) async throws -> [LabelTask]

    // The queue.
    /// Returns expired leases to the queue, then gives the caller the task it
    /// already holds in the project, or one open task at random among the
    /// highest priority; nil when none is open.
    /// `skipping`: tasks the caller passed over, not to be handed back to them.
    func claimTask(projectId: ProjectID, userId: UserID, leaseSeconds: Int, skipping: Set<TaskID>, at: Date) async throws -> LabelTask?
    /// The lease holder gives a task back to the queue, labels and all.
    func release(taskId: TaskID, userId: UserID, at: Date) async throws -> LabelTask
    /// A project's tasks in one status, oldest change first.
    func tasks(projectId: ProjectID, status: TaskStatus, limit: Int) async throws -> [LabelTask]
    /// Extends a live lease held by `userId`; `LabelingError.conflict` when it is lost.
    func renewLease(taskId: TaskID, userId: UserID, leaseSeconds: Int, at: Date) async throws -> LabelTask
    /// Replaces the task's current labels, if `userId` holds a live lease.
    func replaceLabels(taskId: TaskID, userId: UserID, labels: [LabelDraft], at: Date) async throws -> [Label]
    func submit(taskId: TaskID, userId: UserID, at: Date) async throws -> LabelTask
    func review(taskId: TaskID, reviewerId: UserID, decision: ReviewDecision, comment: String?, at: Date) async throws -> LabelTask
    func reviews(taskId: TaskID) async throws -> [Review]

    // Labels.
    func labels(taskId: TaskID) async throws -> [Label]
    /// Current labels in a project whose task has one of `statuses`, optionally
    /// only those whose WGS84 bbox meets `bbox` ([west, south, east, north]).
    func labels(projectId: ProjectID, bbox: [Double]?, statuses: Set<TaskStatus>) async throws -> [Label]
    /// Adds imported or model labels to tasks' current sets.
    func addPreLabels(_ labels: [LabelDraft], sceneId: SceneID, actor: UserID?, at: Date) async throws -> [Label]

    // Audit.
    func auditEvents(projectId: ProjectID, afterId: Int64, limit: Int) async throws -> [AuditEvent]
    /// The newest audit event id of a project: any change to it moves this on (a cache key).
    func latestAuditId(projectId: ProjectID) async throws -> Int64
}
