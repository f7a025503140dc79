import Foundation
import SwathQuality

/// Remediation: a manager names whose accepted work to redo; every task it
/// reaches reopens for fresh annotators, its old work stays as history, out of
/// new releases and exports, and its unpaid pay is reversed.
extension LabelingService {
    /// The most tasks one remediation reopens (one transaction).
    /// The most tasks one remediation reopens: it is one transaction (nothing half-applied), and on SQLite every
    /// other write waits for it (~0.6 ms a task on the 2-core machine: 30 s at this bound).
    public static let maximumRemediatedTasks = 50_000

    public func remediate(projectId: ProjectID, selection: RemediationSelection, by caller: User) async throws -> RemediationOutcome {
        let (_, access) = try await access(caller, projectId: projectId)
        try access.require(.manager, to: "remediating work")
        let users = try await remediationUsers(projectId: projectId, selection: selection)
        var work = try await store.acceptedWork(projectId: projectId).filter { users.contains($0.userId) }
        if let from = selection.from { work = work.filter { $0.submittedAt >= from } }
        if let to = selection.to { work = work.filter { $0.submittedAt < to } }
        if let kind = selection.flagKind {
            let flagged = Set(try await store.flags(projectId: projectId).filter { $0.kind.rawValue == kind && users.contains($0.userId) }
                .compactMap { flag in flag.taskId.map { [$0, flag.userId] } })
            work = work.filter { flagged.contains([$0.taskId, $0.userId]) }
        }
        let tasks = Dictionary(grouping: work, by: \.taskId).mapValues { Set($0.map(\.userId)) }
        guard !tasks.isEmpty else {
            throw LabelingError.invalid("selection: matches no accepted work in project \(projectId); nothing to remediate")
        }
        guard tasks.count <= Self.maximumRemediatedTasks else {
            throw LabelingError.invalid("selection: reaches \(tasks.count) tasks; at most \(Self.maximumRemediatedTasks) per remediation")
        }
        return try await store.remediate(projectId: projectId, work: tasks, actor: caller.auditId, at: now())
    }

    /// The annotators a selection names, checked: each must be an annotator of the project, the cohort must exist
    /// (its members who are annotators here count), the flag kind known, the time range the right way round.
    private func remediationUsers(projectId: ProjectID, selection: RemediationSelection) async throws -> Set<UserID> {
        guard !selection.annotators.isEmpty || selection.cohortId != nil else {
            throw LabelingError.invalid("selection: name annotators or a cohort whose work to redo")
        }
        guard selection.annotators.count <= 10_000 else { throw LabelingError.invalid("annotators: at most 10000, got \(selection.annotators.count)") }
        if let kind = selection.flagKind, IntegrityFlag.Kind(rawValue: kind) == nil {
            throw LabelingError.invalid("flagKind: '\(kind.prefix(40))' is not a flag kind (\(IntegrityFlag.Kind.allCases.map(\.rawValue).joined(separator: ", ")))")
        }
        if let from = selection.from, let to = selection.to, from >= to { throw LabelingError.invalid("to must be after from") }
        let annotators = Set(try await store.annotatorIds(projectId: projectId))
        for userId in selection.annotators where !annotators.contains(userId) {
            throw LabelingError.invalid("annotators: user \(userId) is not an annotator of project \(projectId)")
        }
        var users = Set(selection.annotators)
        if let cohortId = selection.cohortId {
            guard try await store.cohorts().contains(where: { $0.id == cohortId }) else {
                throw LabelingError.invalid("cohortId: cohort \(cohortId) does not exist")
            }
            users.formUnion(try await store.cohortMembers().filter { $0.value == cohortId && annotators.contains($0.key) }.keys)
        }
        return users
    }
}
