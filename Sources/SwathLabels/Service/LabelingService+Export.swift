import Foundation

/// What an export reads: the project, its scenes, and the current labels of
/// tasks in the wanted statuses. Trainers and managers may export.
public struct ExportSource: Sendable {
    public var project: Project
    public var scenes: [Scene]
    public var labels: [Label]
    /// The tasks in the wanted statuses: only ground they cover is known,
    /// so only it may be exported (as labels, or as confirmed background).
    public var tasks: [LabelTask]
    /// Moves on with every change to the project (labels, reviews, scenes): a cache key.
    public var version: Int64

    public init(project: Project, scenes: [Scene], labels: [Label], tasks: [LabelTask], version: Int64) {
        self.project = project
        self.scenes = scenes
        self.labels = labels
        self.tasks = tasks
        self.version = version
    }
}

extension LabelingService {
    /// The project's current version, after the same access check as an export:
    /// lets a caller reuse an `ExportSource` it already read for that version.
    public func exportVersion(projectId: ProjectID, statuses: Set<TaskStatus>, by caller: User) async throws -> Int64 {
        let (_, access) = try await access(caller, projectId: projectId)
        try access.requireTrainingData(statuses: statuses, to: "exporting training chips")
        return try await store.projectVersion(projectId: projectId)
    }

    public func exportSource(projectId: ProjectID, statuses: Set<TaskStatus>, by caller: User) async throws -> ExportSource {
        let (project, access) = try await access(caller, projectId: projectId)
        try access.requireTrainingData(statuses: statuses, to: "exporting training chips")
        return try await readSource(project, statuses: statuses)
    }

    /// The project's scenes, and its labels and tasks in `statuses` (no access check).
    private func readSource(_ project: Project, statuses: Set<TaskStatus>) async throws -> ExportSource {
        // The version first: what is read after it is at least that new, so a cache keyed by it never
        // keeps older content under a newer key (read last, a change committed in between could).
        let version = try await store.projectVersion(projectId: project.id)
        let scenes = try await store.scenes(projectId: project.id)
        let labels = try await store.labels(projectId: project.id, bbox: nil, statuses: statuses)
        var tasks: [LabelTask] = []
        for scene in scenes { tasks += try await store.tasks(sceneId: scene.id).filter { statuses.contains($0.status) } }
        return ExportSource(project: project, scenes: scenes, labels: labels, tasks: tasks, version: version)
    }
}
