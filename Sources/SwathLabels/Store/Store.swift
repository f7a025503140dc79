import Foundation
import SwathQuality

/// Everything the labeling service keeps. Each mutation commits together with
/// its audit event in one transaction, and the queue operations are atomic
/// check-and-set, so the rules hold under any concurrency.
///
/// `SQLiteStore` serves one machine; `PostgresStore` (PostgreSQL + PostGIS)
/// serves many servers on one database. The decisions both make inside their
/// transactions come from `QueueRules`; `StoreContractTests` runs on both.
public protocol Store: Sendable {
    /// What backs the store ("sqlite"), for /healthz and logs.
    var kind: String { get }
    /// Throws when the database cannot answer a trivial query.
    func ping() async throws
    /// Tasks waiting in every project's queue (a gauge for /metrics).
    func openTaskCount() async throws -> Int
    /// Requests that waited for a pooled database connection and the seconds they waited, since start; nil without a pool.
    var connectionWaits: (count: Int, seconds: Double)? { get }

    // Users and tokens (tokens are stored only as SHA-256 hashes).
    func createUser(name: String, isAdmin: Bool, tokenHash: String, actor: UserID?, at: Date) async throws -> User
    func addToken(userId: UserID, tokenHash: String, actor: UserID?, at: Date) async throws
    func revokeTokens(userId: UserID, actor: UserID?, at: Date) async throws
    func user(id: UserID) async throws -> User?
    /// The user a live (unrevoked) token hash belongs to.
    func user(tokenHash: String) async throws -> User?
    /// Whether this token existed and was revoked (a revoked bootstrap token is reported, not recreated).
    func tokenWasRevoked(tokenHash: String) async throws -> Bool
    func userCount() async throws -> Int

    // Projects and members.
    func createProject(_ draft: ProjectDraft, actor: UserID?, at: Date) async throws -> Project
    func project(id: ProjectID) async throws -> Project?
    /// All projects (nil) or those `memberId` has a role in.
    func projects(memberId: UserID?) async throws -> [Project]
    func addMember(projectId: ProjectID, userId: UserID, role: Role, actor: UserID?, at: Date) async throws
    func roles(userId: UserID, projectId: ProjectID) async throws -> Set<Role>
    /// Members with the annotator role.
    func annotatorCount(projectId: ProjectID) async throws -> Int
    /// New settings, when the change is allowed: the tile grid is fixed once scenes are cut.
    func updateSettings(projectId: ProjectID, settings: ProjectSettings, actor: UserID?, at: Date) async throws -> Project

    // Scenes and their tasks.
    func createScene(_ draft: SceneDraft, tasks: [TaskDraft], actor: UserID?, at: Date) async throws -> Scene
    func scene(id: SceneID) async throws -> Scene?
    func scenes(projectId: ProjectID) async throws -> [Scene]
    func task(id: TaskID) async throws -> LabelTask?
    /// A task and the user's roles in its project, read together (one round trip on hot routes).
    func taskAccess(taskId: TaskID, userId: UserID) async throws -> (task: LabelTask, roles: Set<Role>)?
    func tasks(sceneId: SceneID) async throws -> [LabelTask]
    /// Records a model's uncertainty (0 certain … 1 uncertain) for tasks of one scene, replacing what
    /// the scene had, with one audit event naming the model; ids of other scenes' tasks are ignored.
    /// Returns how many were set.
    func setUncertainty(sceneId: SceneID, _ values: [TaskID: Double], model: String, actor: UserID?, at: Date) async throws -> Int
    /// The uncertainty recorded for each task of a scene that has one.
    func uncertainty(sceneId: SceneID) async throws -> [TaskID: Double]

    // The queue.
    /// Returns expired leases to the queue, then gives the caller the task it
    /// already holds in the project, or one open task at random among the
    /// highest priority; nil when none is open.
    /// `skipping`: tasks the caller passed over, not to be handed back to them.
    /// With k > 1 a task is open until k annotators hold or have submitted an
    /// `Assignment`, never twice to the same one; gold tasks are served at
    /// `goldRate` to annotators who have not done them. A paused annotator
    /// gets `LabelingError.forbidden`.
    func claimTask(projectId: ProjectID, userId: UserID, policy: ClaimPolicy, skipping: Set<TaskID>, at: Date) async throws -> LabelTask?
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
    /// Every turn annotators took on a consensus or gold task, oldest first.
    func assignments(taskId: TaskID) async throws -> [Assignment]
    /// Once k submissions are in and the task is still open: the consensus
    /// replaces the task's shared labels and the task goes to review
    /// (`needsReview`) or is accepted; nil when another submission already
    /// completed it, or it is not ready.
    func completeConsensus(taskId: TaskID, labelsPerTask: Int, consensus: [LabelDraft], agreement: Double,
                           pairs: [PairAgreement], needsReview: Bool, at: Date) async throws -> LabelTask?
    /// Open consensus tasks that have their k submissions but no consensus
    /// yet (a crash between the two steps): completed again at start-up.
    func tasksAwaitingConsensus(projectId: ProjectID, labelsPerTask: Int) async throws -> [TaskID]

    // Labels.
    /// The task's shared set (`privateTo` nil) or one annotator's own set.
    func labels(taskId: TaskID, privateTo: UserID?) async throws -> [Label]
    /// Every piece of work handed in: each submitted turn's own set, and the
    /// labels of each submitted or accepted k = 1 task, by its submitter.
    func submissions(projectId: ProjectID) async throws -> [Submission]
    /// The classes in each submission of a project (empty ones left out): cheap, no geometry.
    func submittedClasses(projectId: ProjectID) async throws -> [(userId: UserID, taskId: TaskID, classes: Set<Int>)]
    /// Current labels in a project whose task has one of `statuses`, optionally
    /// only those whose WGS84 bbox meets `bbox` ([west, south, east, north]).
    func labels(projectId: ProjectID, bbox: [Double]?, statuses: Set<TaskStatus>) async throws -> [Label]
    /// One page of the same, in id order (the HTTP listing: never unbounded).
    func labels(projectId: ProjectID, bbox: [Double]?, statuses: Set<TaskStatus>, page: LabelPage) async throws -> [Label]
    /// Adds imported or model labels to tasks' current sets.
    func addPreLabels(_ labels: [LabelDraft], sceneId: SceneID, actor: UserID?, at: Date) async throws -> [Label]

    // Gold tasks, integrity flags and the annotators' record.
    /// Makes an open task gold with these reference labels (replacing earlier ones).
    func markGold(taskId: TaskID, reference: [LabelDraft], actor: UserID?, at: Date) async throws -> LabelTask
    /// The reference labels of a gold task; nil when the task is not gold.
    func goldReference(taskId: TaskID) async throws -> [Label]?
    func goldTaskIds(projectId: ProjectID) async throws -> [TaskID]
    /// Stores a gold result and, if the annotator's rolling accuracy is now
    /// below the policy's threshold, pauses them (returned).
    func recordGoldResult(_ result: GoldResult, policy: GoldPolicy) async throws -> AnnotatorPause?
    func goldResults(projectId: ProjectID) async throws -> [GoldResult]
    func pauses(projectId: ProjectID) async throws -> [AnnotatorPause]
    /// Ends an annotator's pause; their rolling accuracy starts again.
    func reinstate(projectId: ProjectID, userId: UserID, actor: UserID, at: Date) async throws -> AnnotatorPause
    /// Stores flags and the fingerprints of a submission's labels together.
    func recordChecks(flags: [FlagDraft], fingerprints: [StoredFingerprint], at: Date) async throws
    /// Submissions whose consequences are not yet recorded, oldest first.
    func pendingSubmissions(limit: Int) async throws -> [PendingSubmission]
    func pendingSubmission(taskId: TaskID, userId: UserID) async throws -> PendingSubmission?
    /// Records a submission's flags, fingerprints and gold result (with any pause) and clears it from
    /// the pending list, in one transaction; records nothing when another call already did.
    func finishSubmission(_ pending: PendingSubmission, flags: [FlagDraft], fingerprints: [StoredFingerprint],
                          gold: (result: GoldResult, policy: GoldPolicy)?, at: Date) async throws -> AnnotatorPause?
    func flags(projectId: ProjectID) async throws -> [FlagRecord]
    func flags(taskId: TaskID) async throws -> [FlagRecord]
    func flags(projectId: ProjectID, userId: UserID) async throws -> [FlagRecord]
    /// Fingerprints in every project with this vertex count and a perimeter bucket in `buckets`.
    /// Stored outlines a near copy of one with this many vertices can be: perimeter bucket within `buckets`, and radius
    /// buckets within `reach` and `inner` (rows stored without them match any).
    func fingerprints(vertexCount: Int, buckets: ClosedRange<Int>, reach: ClosedRange<Int>, inner: ClosedRange<Int>) async throws -> [StoredFingerprint]
    /// One annotator's submitted turns on a project, with their agreements, flags and gold results.
    func annotatorHistory(projectId: ProjectID, userId: UserID) async throws -> AnnotatorHistory
    /// The gold rate set for one annotator by adaptive gold (nil: the project's own).
    func adaptiveGoldRate(projectId: ProjectID, userId: UserID) async throws -> Double?
    func setAdaptiveGoldRate(projectId: ProjectID, userId: UserID, rate: Double?, at: Date) async throws
    /// A reference layer and all its features (WGS84), in one transaction with its audit event.
    func createReferenceLayer(projectId: ProjectID?, name: String, features: [ReferenceFeature], actor: UserID?, at: Date) async throws -> ReferenceLayer
    /// The project's reference layers and the global ones.
    func referenceLayers(projectId: ProjectID) async throws -> [ReferenceLayer]
    /// Features of the project's and the global reference layers whose bbox meets `bbox` ([west, south, east, north]).
    func referenceFeatures(projectId: ProjectID, bbox: [Double]) async throws -> [ReferenceFeature]
    /// Distinctive (not standard) shapes in every project whose area bin is in `areaBins`.
    func distinctShapes(areaBins: ClosedRange<Int>) async throws -> [IndexedShape]
    /// Both shapes of every stored pair in the neighbourhood of any of `keys`, in every project.
    func shapePairs(near keys: [ShapePairKey]) async throws -> [IndexedShape]
    /// Every indexed outline one annotator handed in on one task.
    func shapes(taskId: TaskID, userId: UserID) async throws -> [IndexedShape]
    func pairAgreements(projectId: ProjectID) async throws -> [PairAgreement]
    /// Non-gold tasks with their consensus agreement (nil until the consensus is made).
    func taskAgreements(projectId: ProjectID) async throws -> [(task: LabelTask, agreement: Double?)]

    // The workforce: qualification, cohorts, pay, remediation.
    /// Marks (or unmarks) a gold task as one of the project's qualification tasks, with its audit event.
    func setQualificationTask(taskId: TaskID, qualification: Bool, actor: UserID?, at: Date) async throws
    func qualificationTaskIds(projectId: ProjectID) async throws -> [TaskID]
    /// One annotator's gold results on qualification tasks, in the order handed in.
    func qualificationResults(projectId: ProjectID, userId: UserID) async throws -> [GoldResult]
    func standing(projectId: ProjectID, userId: UserID) async throws -> AnnotatorStanding?
    func standings(projectId: ProjectID) async throws -> [AnnotatorStanding]
    /// Stores a standing with its audit event (before and after), unless it is already so.
    func setStanding(_ standing: AnnotatorStanding, actor: UserID?) async throws
    /// `LabelingError.conflict` when the codename is taken.
    func createCohort(codename: String, vendor: String?, actor: UserID?, at: Date) async throws -> Cohort
    func cohorts() async throws -> [Cohort]
    /// Puts an annotator in one cohort (moving them out of another), or in none.
    func setCohort(userId: UserID, cohortId: CohortID?, actor: UserID?, at: Date) async throws
    /// Every annotator in a cohort, by cohort.
    func cohortMembers() async throws -> [UserID: CohortID]
    /// The names of these users (unknown ids left out): statements name thousands of people in one read.
    func userNames(_ ids: [UserID]) async throws -> [UserID: String]
    /// Members with the annotator role, by id.
    func annotatorIds(projectId: ProjectID) async throws -> [UserID]
    /// How many tasks one annotator handed in on a project since `since` (turns and k = 1 tasks).
    func handedIn(projectId: ProjectID, userId: UserID, since: Date) async throws -> Int
    /// Users whose submission a reviewer rejected, per task and when (k = 1 tasks and consensus turns).
    func rejections(projectId: ProjectID) async throws -> [(userId: UserID, taskId: TaskID, at: Date)]
    /// The currency of the project's ledger entries; nil while it has none.
    func ledgerCurrency(projectId: ProjectID) async throws -> String?
    /// A user's ledger entries in a project, oldest first.
    func payEntries(projectId: ProjectID, userId: UserID) async throws -> [PayEntry]
    /// Per annotator, the ledger of [from, to) summed by cause.
    func payTotals(projectId: ProjectID, from: Date, to: Date) async throws -> [PayTotal]
    /// One user's ledger by UTC day over every project, for [from, to).
    func earnings(userId: UserID, from: Date, to: Date) async throws -> [EarningsDay]
    /// Closes [from, to): `LabelingError.conflict` when it has not ended by `at` or meets a closed payout.
    func createPayout(projectId: ProjectID, from: Date, to: Date, actor: UserID?, at: Date) async throws -> Payout
    func payouts(projectId: ProjectID) async throws -> [Payout]
    /// Each annotator's part in each accepted non-gold task of the project.
    func acceptedWork(projectId: ProjectID) async throws -> [AcceptedWork]
    /// Reopens the tasks of `work` (task → the annotators whose work on it the selection matched) for fresh annotators in one
    /// transaction: the accepted labels and turns become history, everyone who worked them is kept off them, the matched
    /// annotators' unpaid acceptances and bonuses on them are reversed (dated as the entry they take back, so the period that
    /// paid it nets it), with an audit event per task and one for the remediation. `LabelingError.conflict` when a task is no
    /// longer accepted (nothing is changed).
    func remediate(projectId: ProjectID, work: [TaskID: Set<UserID>], actor: UserID?, at: Date) async throws -> RemediationOutcome

    // Jobs.
    /// Queues a job; an export unless its project already has `JobRules.maximumPendingPerProject`
    /// exports queued or running (`LabelingError.busy`), checked in the same transaction.
    func createJob(_ draft: JobDraft, actor: UserID?, at: Date) async throws -> Job
    func job(id: JobID) async throws -> Job?
    /// Fails running jobs whose lease ran out on their last attempt, then leases to `worker` the
    /// oldest due job: queued past its wait, or running under a lease that ran out (its worker
    /// stopped answering); nil when none is due. Two workers never get the same job.
    func claimJob(worker: String, leaseSeconds: Int, at: Date) async throws -> Job?
    /// Renews `worker`'s lease and records progress; false when the lease is no longer theirs.
    func heartbeatJob(id: JobID, worker: String, done: Int, total: Int, leaseSeconds: Int, at: Date) async throws -> Bool
    /// Records success; false when the lease is no longer `worker`'s (another worker has the job).
    func finishJob(id: JobID, worker: String, result: String, at: Date) async throws -> Bool
    /// Records a failed attempt: queued again after `JobRules.backoff`, or failed for good on the
    /// last attempt; nil when the lease is no longer `worker`'s.
    func failJob(id: JobID, worker: String, error: String, at: Date) async throws -> Job?

    // Releases and label history.
    /// Stores a release and its document; `LabelingError.conflict` when the project has one by that name.
    func createRelease(_ draft: ReleaseDraft, actor: UserID?, at: Date) async throws -> Release
    func release(id: ReleaseID) async throws -> Release?
    func releaseDocument(id: ReleaseID) async throws -> String?
    /// The project's releases, oldest first.
    func releases(projectId: ProjectID) async throws -> [Release]
    /// Every version of the label's lineage (the versions it replaced and those that replaced it), oldest first;
    /// empty for an unknown id.
    func labelHistory(labelId: LabelID) async throws -> [LabelVersion]
    /// For every label row of the project that replaced another: its id → the id it replaced.
    func labelPredecessors(projectId: ProjectID) async throws -> [LabelID: LabelID]
    /// The newest accepting review of each task of the project that has one.
    func acceptingReviews(projectId: ProjectID) async throws -> [TaskID: Int64]
    // Audit.
    func auditEvents(projectId: ProjectID, afterId: Int64, limit: Int) async throws -> [AuditEvent]
    /// The newest audit event id of a project: any change to it moves this on (a cache key).
    /// Moves on with every change to the project, in the transaction that makes it (a cache key).
    func projectVersion(projectId: ProjectID) async throws -> Int64
}
