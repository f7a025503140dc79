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

    var json: JSONValue {
        let annotators = Set(submissions.map(\.userId)).union(flags.map(\.userId)).union(gold.map(\.userId)).sorted()
        let flagged = Set(flags.map(\.userId))
        return .object([
            "projectId": .number(Double(project.id)),
            "annotators": .array(annotators.map(annotator)),
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

    private func annotator(_ userId: UserID) -> JSONValue {
        let mine = submissions.filter { $0.userId == userId }
        let results = gold.filter { $0.userId == userId }
        let pause = pauses.last { $0.userId == userId }
        let window = GoldPolicy(project.settings).window
        let since = pauses.filter { $0.userId == userId }.compactMap(\.reinstatedAt).max() ?? .distantPast
        let rolling = results.filter { $0.createdAt >= since }.suffix(window)
        let myPairs = pairs.filter { $0.firstUser == userId || $0.secondUser == userId }
        return .object([
            "userId": .number(Double(userId)),
            "tasks": .number(Double(mine.count)),
            "labels": .number(Double(mine.reduce(0) { $0 + $1.labels.count })),
            "secondsPerTask": Self.mean(mine.map(\.secondsSpent)),
            "flags": .object(Dictionary(grouping: flags.filter { $0.userId == userId }, by: \.kind.rawValue).mapValues { .number(Double($0.count)) }),
            "gold": results.isEmpty ? .null : .object([
                "tasks": .number(Double(results.count)),
                "meanF1": Self.mean(results.map(\.f1)),
                "meanBoundaryF1": Self.mean(results.map(\.boundaryF1)),
                "rollingF1": Self.mean(rolling.map(\.f1)),
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
        return QualityReport(project: project, submissions: try await store.submissions(projectId: projectId),
                             flags: try await store.flags(projectId: projectId), gold: try await store.goldResults(projectId: projectId),
                             pauses: try await store.pauses(projectId: projectId), pairs: try await store.pairAgreements(projectId: projectId),
                             consensusTasks: consensusTasks).json
    }
}
