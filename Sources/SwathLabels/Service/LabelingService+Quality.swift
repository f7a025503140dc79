import Foundation
import SwathGeo
import SwathQuality

/// Quality in the workflow: what happens when work is handed in, gold tasks,
/// pauses, project settings, and the consensus as a reviewer sees it.
extension LabelingService {
    /// Runs after every submission (the store queued it in the submit's own
    /// transaction): integrity checks and the gold score, recorded together
    /// with the submission's removal from the queue, then the consensus once
    /// the k-th submission of a consensus task is in. A failure leaves the
    /// submission queued for `finishPendingSubmissions`; nothing is lost.
    func afterSubmission(_ pending: PendingSubmission, task: LabelTask, project: Project) async throws {
        guard let submission = try await store.submission(taskId: task.id, userId: pending.userId) else {
            _ = try await store.finishSubmission(pending, flags: [], fingerprints: [], gold: nil, at: now())
            return
        }
        let scene = try await requireScene(task.sceneId)
        let frame = TaskFrame(scene: scene, window: task.window, reprojectors: reprojectors)
        let findings = try await SubmissionChecks(store: store).run(submission, secondsOnTask: pending.secondsOnTask, task: task, frame: frame)
        var gold: (GoldResult, GoldPolicy)?
        if let reference = try await store.goldReference(taskId: task.id) {
            let score = try GoldScore(reference: reference.map(Self.shape), submission: submission.labels.map(Self.shape),
                                      boundaryTolerance: 2 * scene.pixelSize)
            gold = (GoldResult(projectId: project.id, userId: pending.userId, taskId: task.id, f1: score.f1, boundaryF1: score.boundaryF1,
                               createdAt: now()), GoldPolicy(project.settings))
        }
        _ = try await store.finishSubmission(pending, flags: findings.flags, fingerprints: findings.fingerprints, gold: gold, at: now())
        if gold != nil { try await recordQualification(project: project, userId: pending.userId, taskId: task.id) }
        if gold == nil, submission.isTurn, try await completeConsensus(taskId: task.id, project: project) != nil {
            return  // the consensus checked every voter, this annotator among them
        }
        try await checkQualityShift(projectId: project.id, userId: pending.userId, settings: project.settings)
    }

    /// The integrity checks of one stored submission, run again without
    /// recording anything: what a new reference layer or a changed rule finds
    /// in work already handed in, and what `swath bench-checks` times.
    public func checkSubmission(taskId: TaskID, userId: UserID) async throws -> [IntegrityFlag] {
        guard let task = try await store.task(id: taskId), let submission = try await store.submission(taskId: taskId, userId: userId) else {
            throw LabelingError.notFound("task \(taskId) has no submission by user \(userId)")
        }
        let frame = TaskFrame(scene: try await requireScene(task.sceneId), window: task.window, reprojectors: reprojectors)
        return try await SubmissionChecks(store: store).run(submission, secondsOnTask: 3600, task: task, frame: frame).flags.map(\.flag)
    }

    /// Submissions whose consequences were not recorded (a stop or an error
    /// between the submit and its checks), recorded now. `swath serve` runs
    /// it at start-up and then every so often; any server may, the store
    /// makes sure each is recorded once.
    public func finishPendingSubmissions(limit: Int = 1000) async throws -> Int {
        var finished = 0
        for pending in try await store.pendingSubmissions(limit: limit) {
            guard let task = try await store.task(id: pending.taskId),
                  let project = try await projectCache.value(task.projectId, load: { try await store.project(id: task.projectId) }) else {
                continue
            }
            try await afterSubmission(pending, task: task, project: project)
            finished += 1
        }
        return finished
    }

    static func shape(_ label: Label) -> ClassedShape { ClassedShape(classId: label.classId, geometry: label.geometry) }

    /// The majority consensus of the first k submissions, stored as the task's
    /// labels; below the agreement threshold the task goes to a reviewer.
    /// Submissions flagged on this task (copied, too fast, rubber-stamped,
    /// degenerate, colluding), and those of annotators caught deceiving on any
    /// task of the project, do not vote while at least two clean ones remain:
    /// one bad annotator must not tip a majority of three.
    /// nil when the task is not ready or another call completed it.
    func completeConsensus(taskId: TaskID, project: Project) async throws -> LabelTask? {
        let k = project.settings.labelsPerTask
        let turns = try await store.assignments(taskId: taskId).filter { $0.status == .submitted }.prefix(k)
        guard turns.count == k, let task = try await store.task(id: taskId) else { return nil }
        var flagged = Set(try await store.flags(taskId: taskId).map(\.userId))
        // An annotator caught deceiving on any task of the project does not vote either.
        for turn in turns where try await store.flags(projectId: project.id, userId: turn.userId).contains(where: \.kind.isDeception) {
            flagged.insert(turn.userId)
        }
        let clean = turns.filter { !flagged.contains($0.userId) }
        let voters = clean.count >= 2 ? Array(clean) : Array(turns)
        var sets: [[ClassedShape]] = []
        for turn in voters { sets.append((try await store.submission(taskId: taskId, userId: turn.userId)?.labels ?? []).map(Self.shape)) }
        let users = voters.map(\.userId)
        // Each pair is compared once: the stored per-class agreements and the task's agreement
        // (the mean pooled F1 of the pairs, as `Consensus.agreement` defines it) come from the same comparison.
        var pairs: [PairAgreement] = []
        var pooled: [Double] = []
        for i in sets.indices { for j in sets.indices where j > i {
            let classes = try PolygonAgreement.compare(sets[i], sets[j])
            pairs += classes.map { PairAgreement(taskId: taskId, firstUser: users[i], secondUser: users[j], agreement: $0) }
            pooled.append(PolygonAgreement.pooledF1(classes))
        } }
        let agreement = pooled.isEmpty ? 1 : pooled.reduce(0, +) / Double(pooled.count)
        let scene = try await requireScene(task.sceneId)
        let frame = TaskFrame(scene: scene, window: task.window, reprojectors: reprojectors)
        let drafts = try Consensus.majority(sets).map { shape in
            LabelDraft(taskId: taskId, classId: shape.classId, attributes: [:], geometry: shape.geometry.rightHanded,
                       bboxWGS84: try frame.toWGS84(shape.geometry).lonLatBounds ?? [0, 0, 0, 0], source: .consensus, previousId: nil, secondsSpent: 0)
        }
        let completed = try await store.completeConsensus(taskId: taskId, labelsPerTask: k, consensus: drafts, agreement: agreement, pairs: pairs,
                                                          needsReview: agreement < project.settings.agreementThreshold, at: now())
        if completed != nil {
            for turn in turns { try await checkQualityShift(projectId: project.id, userId: turn.userId, settings: project.settings) }
        }
        return completed
    }

    /// Consensus tasks whose k-th submission landed but whose consensus was
    /// not stored (the process stopped between the two): completed now.
    public func completePendingConsensus() async throws -> Int {
        var completed = 0
        for project in try await store.projects(memberId: nil) where project.settings.labelsPerTask > 1 {
            for taskId in try await store.tasksAwaitingConsensus(projectId: project.id, labelsPerTask: project.settings.labelsPerTask) {
                if try await completeConsensus(taskId: taskId, project: project) != nil { completed += 1 }
            }
        }
        return completed
    }

    /// Marks a task gold with reference labels (managers). Every feature is
    /// checked as a save would check it; one bad feature refuses them all.
    public func markGold(taskId: TaskID, reference: GeoJSONFeatureCollection, space: CoordinateSpace, by caller: User) async throws -> LabelFeatureCollection {
        let (task, project, access) = try await taskAccess(caller, taskId: taskId)
        try access.require(.manager, to: "marking gold tasks")
        guard !reference.features.isEmpty else { throw LabelingError.invalid("a gold task needs at least one reference label") }
        let scene = try await requireScene(task.sceneId)
        let frame = TaskFrame(scene: scene, window: task.window, reprojectors: reprojectors)
        var drafts: [LabelDraft] = []
        var problems: [FeatureProblem] = []
        for (index, feature) in reference.features.enumerated() {
            do {
                drafts.append(try draft(feature, task: task, frame: frame, taxonomy: project.taxonomy, space: space, current: [:]))
            } catch let problem as GeometryProblem {
                problems.append(FeatureProblem(index: index, id: feature.id.map(Self.text), reason: problem.reason))
            }
        }
        guard problems.isEmpty else { throw LabelingError.invalidFeatures(problems) }
        _ = try await store.markGold(taskId: taskId, reference: drafts, actor: caller.auditId, at: now())
        return try await goldReference(taskId: taskId, space: space, by: caller)
    }

    /// A gold task's reference labels (managers only: annotators must not tell gold from any other task).
    public func goldReference(taskId: TaskID, space: CoordinateSpace, by caller: User) async throws -> LabelFeatureCollection {
        let (task, project, access) = try await taskAccess(caller, taskId: taskId)
        try access.require(.manager, to: "reading gold reference labels")
        guard let reference = try await store.goldReference(taskId: taskId) else { throw LabelingError.notFound("task \(taskId) is not a gold task") }
        let scene = try await requireScene(task.sceneId)
        return try featureCollection(reference, scenes: [scene.id: scene], taxonomy: project.taxonomy, space: space, window: task.window)
    }

    public func reinstate(projectId: ProjectID, userId: UserID, by caller: User) async throws -> AnnotatorPause {
        let (_, access) = try await access(caller, projectId: projectId)
        try access.require(.manager, to: "reinstating annotators")
        return try await store.reinstate(projectId: projectId, userId: userId, actor: caller.id, at: now())
    }

    /// New settings for a project (managers). k may not exceed the project's
    /// annotators, or no task could ever collect its k submissions.
    public func updateSettings(projectId: ProjectID, by caller: User,
                               _ change: (ProjectSettings) -> ProjectSettings) async throws -> ProjectView {
        let (project, access) = try await access(caller, projectId: projectId)
        try access.require(.manager, to: "changing project settings")
        let settings = change(project.settings)
        try settings.validate()
        if let currency = settings.pay?.currency, let kept = try await store.ledgerCurrency(projectId: projectId), currency != kept {
            throw LabelingError.conflict("pay.currency: the project's ledger is in \(kept); a project keeps one currency")
        }
        if settings.labelsPerTask > 1, settings.labelsPerTask != project.settings.labelsPerTask {
            let annotators = try await store.annotatorCount(projectId: projectId)
            guard settings.labelsPerTask <= annotators else {
                throw LabelingError.conflict("labelsPerTask \(settings.labelsPerTask) is more than the \(annotators) annotators of project "
                                             + "\(projectId): no task could collect its submissions; add annotators first")
            }
        }
        let updated = try await store.updateSettings(projectId: projectId, settings: settings, actor: caller.auditId, at: now())
        projectCache.forget(projectId)
        return ProjectView(updated, access: access)
    }

    /// A consensus task as a reviewer sees it: each annotator's set, the
    /// consensus, and the disagreement (ground some annotators put in a class
    /// and others did not) to look at first.
    public func consensus(taskId: TaskID, space: CoordinateSpace, for caller: User) async throws -> ConsensusView {
        let (task, project, access) = try await taskAccess(caller, taskId: taskId)
        try access.require(.reviewer, .manager, to: "reading annotators' separate work")
        let turns = try await store.assignments(taskId: taskId).filter { $0.status == .submitted }
        guard !turns.isEmpty else { throw LabelingError.notFound("task \(taskId) has no submissions from several annotators") }
        let scene = try await requireScene(task.sceneId)
        let scenes = [scene.id: scene]
        var sets: [ConsensusView.AnnotatorSet] = []
        var shapes: [[ClassedShape]] = []
        for turn in turns {
            let labels = try await store.submission(taskId: taskId, userId: turn.userId)?.labels ?? []
            shapes.append(labels.map(Self.shape))
            sets.append(.init(userId: turn.userId, labels: try featureCollection(labels, scenes: scenes, taxonomy: project.taxonomy,
                                                                                 space: space, window: task.window)))
        }
        let frame = TaskFrame(scene: scene, window: task.window, reprojectors: reprojectors)
        let disputed = try Consensus.disagreement(shapes).map { shape in
            ConsensusView.Region(classId: shape.classId, class: project.taxonomy.resolve(id: shape.classId)?.name ?? "unknown",
                                 geometry: GeoJSONGeometry(try frame.fromScene(shape.geometry, to: space)))
        }
        return ConsensusView(taskId: taskId, status: task.status, agreement: try Consensus.agreement(shapes),
                             agreementThreshold: project.settings.agreementThreshold, crs: space.label, annotators: sets,
                             consensus: try featureCollection(try await store.labels(taskId: taskId, privateTo: nil).filter { $0.source == .consensus },
                                                              scenes: scenes, taxonomy: project.taxonomy, space: space, window: task.window),
                             disagreement: disputed)
    }
}
