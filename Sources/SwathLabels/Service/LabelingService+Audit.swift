import Foundation
import SwathGeo
import SwathQuality

/// The manager's audit queue: annotators at or above the project's risk
/// threshold, riskiest first, each with the evidence behind their risk and a
/// sample (`auditShare`, at least one) of their accepted tasks to review.
extension LabelingService {
    public func auditQueue(projectId: ProjectID, by caller: User) async throws -> JSONValue {
        let (project, access) = try await access(caller, projectId: projectId)
        try access.require(.manager, to: "reading the audit queue")
        let report = QualityReport(project: project, submissions: try await store.submissions(projectId: projectId),
                                   flags: try await store.flags(projectId: projectId), gold: try await store.goldResults(projectId: projectId),
                                   pauses: try await store.pauses(projectId: projectId), pairs: try await store.pairAgreements(projectId: projectId),
                                   consensusTasks: [])
        let settings = project.settings
        let risks = report.risks.filter { $0.value.score >= settings.auditRiskThreshold }
        let accepted = Set(try await store.tasks(projectId: projectId, status: .accepted, limit: Int(Int32.max)).map(\.id))
        var entries: [JSONValue] = []
        var sampledTotal = 0
        for (userId, risk) in risks.sorted(by: { ($0.value.score, -$0.key) > ($1.value.score, -$1.key) }) {
            let theirs = Set(report.submissions.filter { $0.userId == userId && accepted.contains($0.taskId) }.map(\.taskId)).sorted()
            let sampled = AuditSample.pick(theirs, share: settings.auditShare, salt: projectId)
            sampledTotal += sampled.count
            entries.append(.object([
                "userId": .number(Double(userId)),
                "risk": .number(risk.score),
                "evidence": .array(risk.evidence.map(JSONValue.string)),
                "acceptedTasks": .number(Double(theirs.count)),
                "sampledTasks": .array(sampled.map { .number(Double($0)) }),
            ]))
        }
        return .object([
            "projectId": .number(Double(projectId)),
            "riskThreshold": .number(settings.auditRiskThreshold),
            "auditShare": .number(settings.auditShare),
            "annotators": .array(entries),
            "tasks": .number(Double(sampledTotal)),
        ])
    }
}
