import Foundation

/// Releases as managers make them and trainers read them, and label history
/// as reviewers and managers follow it. The store keeps the rows; the rules
/// (who may, what is "not found") are here.
extension LabelingService {
    /// What freezing a release reads: the accepted labels and tasks, which label each
    /// replaced, and each task's accepting review. Managers only.
    public func releaseInputs(projectId: ProjectID, by caller: User) async throws -> ReleaseInputs {
        let (_, access) = try await access(caller, projectId: projectId)
        try access.require(.manager, to: "creating releases")
        let source = try await exportSource(projectId: projectId, statuses: [.accepted], by: caller)
        return ReleaseInputs(source: source, predecessors: try await store.labelPredecessors(projectId: projectId),
                             acceptingReviews: try await store.acceptingReviews(projectId: projectId))
    }

    /// Stores a frozen release (managers); a name already used in the project is a conflict.
    public func saveRelease(_ draft: ReleaseDraft, by caller: User) async throws -> ReleaseView {
        let (_, access) = try await access(caller, projectId: draft.projectId)
        try access.require(.manager, to: "creating releases")
        try ReleaseDraft.checkName(draft.name)
        guard draft.document.utf8.count <= ReleaseRules.maximumDocumentBytes else {
            throw LabelingError.invalid("the release would be larger than \(ReleaseRules.maximumDocumentBytes >> 20) MiB")
        }
        return ReleaseView(try await store.createRelease(draft, actor: caller.auditId, at: now()))
    }

    /// A release of a project the caller trains on or manages; "not found" otherwise, as for one that does not exist.
    public func release(id: ReleaseID, for caller: User) async throws -> ReleaseView {
        try await releaseAccess(id: id, caller: caller).0
    }

    /// The frozen document of a release (same access as the release).
    public func releaseDocument(id: ReleaseID, for caller: User) async throws -> String {
        _ = try await releaseAccess(id: id, caller: caller)
        guard let document = try await store.releaseDocument(id: id) else { throw LabelingError.notFound("release \(id) not found") }
        return document
    }

    public func releases(projectId: ProjectID, for caller: User) async throws -> [ReleaseView] {
        let (_, access) = try await access(caller, projectId: projectId)
        try access.require(.trainer, .manager, to: "reading releases")
        return try await store.releases(projectId: projectId).map(ReleaseView.init)
    }

    /// Every release the caller may train on: those of projects where they are a trainer or a manager
    /// (admins: all), oldest first. A caller with neither role anywhere is refused (annotators, reviewers).
    public func trainingReleases(for caller: User) async throws -> [ReleaseView] {
        let projects = try await store.projects(memberId: caller.isAdmin ? nil : caller.id)
        var found: [ReleaseView] = []
        var trains = caller.isAdmin
        for project in projects {
            if !caller.isAdmin {
                let roles = try await store.roles(userId: caller.id, projectId: project.id)
                guard roles.contains(.trainer) || roles.contains(.manager) else { continue }
                trains = true
            }
            found += try await store.releases(projectId: project.id).map(ReleaseView.init)
        }
        guard trains else { throw LabelingError.forbidden("the STAC API needs the trainer or manager role in a project") }
        return found.sorted { $0.id < $1.id }
    }

    /// Whether the caller manages the release's project (who may see scene paths in its errors).
    public func managesRelease(id: ReleaseID, caller: User) async throws -> Bool {
        try await releaseAccess(id: id, caller: caller).1.has(.manager)
    }

    private func releaseAccess(id: ReleaseID, caller: User) async throws -> (ReleaseView, ProjectAccess) {
        guard let release = try await store.release(id: id) else { throw LabelingError.notFound("release \(id) not found") }
        let access: ProjectAccess
        do {
            (_, access) = try await self.access(caller, projectId: release.projectId)
        } catch LabelingError.notFound {
            throw LabelingError.notFound("release \(id) not found")
        }
        try access.require(.trainer, .manager, to: "reading releases")
        return (ReleaseView(release), access)
    }

    /// Every version of a label's lineage with who saved it and when (reviewers and managers of its project).
    public func labelHistory(labelId: LabelID, for caller: User) async throws -> LabelHistoryView {
        let versions = try await store.labelHistory(labelId: labelId)
        guard let first = versions.first else { throw LabelingError.notFound("label \(labelId) not found") }
        let (project, access): (Project, ProjectAccess)
        do {
            (project, access) = try await self.access(caller, projectId: first.label.projectId)
        } catch LabelingError.notFound {
            throw LabelingError.notFound("label \(labelId) not found")
        }
        try access.require(.reviewer, .manager, to: "reading label history")
        var names: [UserID: String] = [:]
        if access.has(.manager) {
            for id in Set(versions.compactMap(\.label.annotatorId)) { names[id] = try await store.user(id: id)?.name }
        }
        return LabelHistoryView(labelId: labelId, versions: versions, taxonomy: project.taxonomy, names: names)
    }
}

/// What a release freezes, read in one go.
public struct ReleaseInputs: Sendable {
    public var source: ExportSource
    /// Label id → the id of the version it replaced.
    public var predecessors: [LabelID: LabelID]
    /// Task id → its newest accepting review.
    public var acceptingReviews: [TaskID: Int64]

    /// The first version of the label's lineage: what stays the same label across edits.
    public func lineageRoot(of id: LabelID) -> LabelID {
        var current = id
        var steps = 0
        while let previous = predecessors[current], steps < 1_000_000 {
            current = previous
            steps += 1
        }
        return current
    }
}
