import Foundation
import SwathGeo
import SwathQuality

/// The project's quality report for managers: per annotator (work, time per
/// task, flags by kind, accuracy against gold, agreement with co-annotators,
/// pauses), per class agreement, consensus outcomes, every stored flag with
/// its evidence, and the share of annotators flagged. Every mean is over
/// what exists; with nothing to average it is null, never a division by zero.
struct QualityReport {
    var project: Project
    var submissions: [Submission]
    var flags: [FlagRecord]
    var gold: [GoldResult]
    var pauses: [AnnotatorPause]
    var pairs: [PairAgreement]
    var consensusTasks: [(task: LabelTask, agreement: Double?)]

    var annotatorIds: [UserID] { Set(submissions.map(\.userId)).union(flags.map(\.userId)).union(gold.map(\.userId)).sorted() }

    /// Each annotator's risk (see `RiskScore`), from their flags, gold and agreement.
    var risks: [UserID: RiskScore] {
        let agreements = Dictionary(uniqueKeysWithValues: annotatorIds.map { ($0, agreement(of: $0)) })
        let median = Self.median(agreements.values.compactMap { $0 })
        var risks: [UserID: RiskScore] = [:]
        for userId in annotatorIds {
            var signals = RiskScore.Signals()
            for (kind, found) in Dictionary(grouping: flags.filter { $0.userId == userId }, by: \.kind) {
                signals.flaggedTasks[kind] = Set(found.map { $0.taskId.map(String.init) ?? "annotator" }).count
            }
            signals.goldF1 = rollingGold(userId).map { $0.reduce(0, +) / Double($0.count) }
            signals.goldThreshold = project.settings.goldAccuracyThreshold
            signals.agreement = agreements[userId] ?? nil
            signals.medianAgreement = median
            risks[userId] = RiskScore(signals, weights: project.settings.riskWeights)
        }
        return risks
    }

    var json: JSONValue {
        let risks = self.risks
        // Ranked by risk, the riskiest first (ties by id): the order a manager audits in.
        let annotators = annotatorIds.sorted { (risks[$0]?.score ?? 0, -$0) > (risks[$1]?.score ?? 0, -$1) }
        let flagged = Set(flags.map(\.userId))
        return .object([
            "projectId": .number(Double(project.id)),
            "annotators": .array(annotators.map { annotator($0, risk: risks[$0]) }),
            "classes": .array(classes),
            "consensus": consensus,
            "flags": .array(flags.map { flag in
                .object(["kind": .string(flag.kind.rawValue), "userId": .number(Double(flag.userId)),
                         "taskId": flag.taskId.map { .number(Double($0)) } ?? .null,
                         "labelId": flag.labelId.map { .number(Double($0)) } ?? .null,
                         "evidence": .string(flag.evidence), "at": .string(ISO8601DateFormatter().string(from: flag.createdAt))])
            }),
            "flagsByKind": .object(Dictionary(grouping: flags, by: \.kind.rawValue).mapValues { .number(Double($0.count)) }),
            "flagRate": .number(annotators.isEmpty ? 0 : Double(flagged.count) / Double(annotators.count)),
        ])
    }

    /// The latest gold F1s counted for pausing (since the last reinstatement); nil without any.
    private func rollingGold(_ userId: UserID) -> [Double]? {
        let since = pauses.filter { $0.userId == userId }.compactMap(\.reinstatedAt).max() ?? .distantPast
        let rolling = gold.filter { $0.userId == userId && $0.createdAt >= since }.suffix(GoldPolicy(project.settings).window).map(\.f1)
        return rolling.isEmpty ? nil : Array(rolling)
    }

    private func agreement(of userId: UserID) -> Double? {
        let values = Self.pooledPerTaskPair(pairs.filter { $0.firstUser == userId || $0.secondUser == userId })
        return values.isEmpty ? nil : values.reduce(0, +) / Double(values.count)
    }

    private func annotator(_ userId: UserID, risk: RiskScore?) -> JSONValue {
        let mine = submissions.filter { $0.userId == userId }
        let results = gold.filter { $0.userId == userId }
        let pause = pauses.last { $0.userId == userId }
        let rolling = rollingGold(userId) ?? []
        let myPairs = pairs.filter { $0.firstUser == userId || $0.secondUser == userId }
        return .object([
            "risk": .number(risk?.score ?? 0),
            "riskEvidence": .array((risk?.evidence ?? []).map(JSONValue.string)),
            "weeks": .array(weeks(userId)),
            "userId": .number(Double(userId)),
            "tasks": .number(Double(mine.count)),
            "labels": .number(Double(mine.reduce(0) { $0 + $1.labels.count })),
            "secondsPerTask": Self.mean(mine.map(\.secondsSpent)),
            "flags": .object(Dictionary(grouping: flags.filter { $0.userId == userId }, by: \.kind.rawValue).mapValues { .number(Double($0.count)) }),
            "gold": results.isEmpty ? .null : .object([
                "tasks": .number(Double(results.count)),
                "meanF1": Self.mean(results.map(\.f1)),
                "meanBoundaryF1": Self.mean(results.map(\.boundaryF1)),
                "rollingF1": Self.mean(rolling),
            ]),
            "agreement": Self.mean(Self.pooledPerTaskPair(myPairs)),
            "paused": .bool(pause?.isActive ?? false),
            "pauseReason": pause.map { .string($0.reason) } ?? .null,
        ])
    }

    private var classes: [JSONValue] {
        let labels = submissions.flatMap(\.labels)
        let ids = Set(labels.map(\.classId)).union(pairs.map(\.agreement.classId)).sorted()
        return ids.map { classId in
            let agreements = pairs.map(\.agreement).filter { $0.classId == classId }
            return .object([
                "classId": .number(Double(classId)),
                "name": project.taxonomy.resolve(id: classId).map { .string($0.name) } ?? .null,
                "labels": .number(Double(labels.filter { $0.classId == classId }.count)),
                "agreement": agreements.isEmpty ? .null : .object([
                    "pairs": .number(Double(agreements.count)),
                    "meanF1": Self.mean(agreements.map(\.f1)),
                    "meanRegionIoU": Self.mean(agreements.map(\.regionIoU)),
                    "meanAreaAgreement": Self.mean(agreements.map(\.areaAgreement)),
                ]),
            ])
        }
    }

    private var consensus: JSONValue {
        let done = consensusTasks.compactMap(\.agreement)
        let threshold = project.settings.agreementThreshold
        return .object([
            "labelsPerTask": .number(Double(project.settings.labelsPerTask)),
            "agreementThreshold": .number(threshold),
            "tasksCompleted": .number(Double(done.count)),
            "sentToReview": .number(Double(done.filter { $0 < threshold }.count)),
            "meanAgreement": Self.mean(done),
        ])
    }

    /// One pooled F1 per (task, pair of annotators), all classes together.
    static func pooledPerTaskPair(_ pairs: [PairAgreement]) -> [Double] {
        Dictionary(grouping: pairs) { "\($0.taskId):\($0.firstUser):\($0.secondUser)" }.values.map { PolygonAgreement.pooledF1($0.map(\.agreement)) }
    }

    /// Quality by week (weeks start on Monday, UTC): tasks handed in, the share flagged, mean gold F1 and mean agreement.
    private func weeks(_ userId: UserID) -> [JSONValue] {
        let week = UTCDay.weekStart
        let mine = submissions.filter { $0.userId == userId }
        var taskWeek: [TaskID: Date] = [:]
        for submission in mine { if let latest = submission.labels.map(\.createdAt).max() { taskWeek[submission.taskId] = week(latest) } }
        for result in gold where result.userId == userId { taskWeek[result.taskId] = taskWeek[result.taskId] ?? week(result.createdAt) }
        let flaggedTasks = Set(flags.filter { $0.userId == userId }.compactMap(\.taskId))
        let myPairs = Dictionary(grouping: pairs.filter { $0.firstUser == userId || $0.secondUser == userId }, by: \.taskId)
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withFullDate]
        return Dictionary(grouping: taskWeek.keys, by: { taskWeek[$0]! }).sorted { $0.key < $1.key }.map { start, tasks in
            let golds = gold.filter { $0.userId == userId && tasks.contains($0.taskId) }.map(\.f1)
            let agreements = tasks.flatMap { Self.pooledPerTaskPair(myPairs[$0] ?? []) }
            return .object([
                "week": .string(formatter.string(from: start)),
                "tasks": .number(Double(tasks.count)),
                "flagRate": .number(Double(tasks.filter(flaggedTasks.contains).count) / Double(tasks.count)),
                "goldF1": Self.mean(golds),
                "agreement": Self.mean(agreements),
            ])
        }
    }

    static func median(_ values: [Double]) -> Double? {
        let sorted = values.sorted()
        guard !sorted.isEmpty else { return nil }
        return sorted.count % 2 == 1 ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
    }

    static func mean(_ values: [Double]) -> JSONValue {
        values.isEmpty ? .null : .number(values.reduce(0, +) / Double(values.count))
    }
}

extension LabelingService {
    /// The quality report (managers only).
    public func qualityReport(projectId: ProjectID, by caller: User) async throws -> JSONValue {
        let (project, access) = try await access(caller, projectId: projectId)
        try access.require(.manager, to: "reading the quality report")
        var consensusTasks: [(task: LabelTask, agreement: Double?)] = []
        if project.settings.labelsPerTask > 1 {
            for (task, agreement) in try await store.taskAgreements(projectId: projectId) { consensusTasks.append((task, agreement)) }
        }
        let submissions = try await store.submissions(projectId: projectId)
        let flags = try await store.flags(projectId: projectId), gold = try await store.goldResults(projectId: projectId)
        let pairs = try await store.pairAgreements(projectId: projectId)
        let report = QualityReport(project: project, submissions: submissions, flags: flags, gold: gold,
                                   pauses: try await store.pauses(projectId: projectId), pairs: pairs, consensusTasks: consensusTasks)
        let cohorts = CohortReport(submissions: submissions, flags: flags, gold: gold, pairs: pairs,
                                   rejections: try await store.rejections(projectId: projectId), members: try await store.cohortMembers(),
                                   codenames: Dictionary(uniqueKeysWithValues: try await store.cohorts().map { ($0.id, $0.codename) }))
        guard case .object(var fields) = report.json else { return report.json }
        fields["cohorts"] = cohorts.json
        return .object(fields)
    }
}
