import Foundation

extension LabelingService {
    /// Records a model's per-task uncertainty on a scene (managers): what a project whose
    /// `queueOrder` is `uncertainty` serves first. Values must lie in 0…1.
    public func recordUncertainty(sceneId: SceneID, _ values: [TaskID: Double], model: String, by caller: User) async throws -> Int {
        let (scene, _, access) = try await sceneAccess(caller, sceneId: sceneId)
        try access.require(.manager, to: "recording a model's uncertainty")
        if let bad = values.first(where: { !$0.value.isFinite || !(0...1).contains($0.value) }) {
            throw LabelingError.invalid("uncertainty of task \(bad.key) must be between 0 and 1, got \(bad.value)")
        }
        return try await store.setUncertainty(sceneId: scene.id, values, model: model, actor: caller.auditId, at: now())
    }

    /// The uncertainty recorded per task of a scene (managers).
    public func uncertainty(sceneId: SceneID, by caller: User) async throws -> [TaskID: Double] {
        let (scene, _, access) = try await sceneAccess(caller, sceneId: sceneId)
        try access.require(.manager, to: "reading a model's uncertainty")
        return try await store.uncertainty(sceneId: scene.id)
    }
}

extension LabelingService {
    /// A scene with its project and tasks, for a manager of the project: what a model applied to
    /// the scene reads.
    public func managedScene(_ sceneId: SceneID, by caller: User, to action: String) async throws -> (scene: Scene, project: Project, tasks: [LabelTask]) {
        let (scene, project, access) = try await sceneAccess(caller, sceneId: sceneId)
        try access.require(.manager, to: action)
        return (scene, project, try await store.tasks(sceneId: scene.id))
    }
}
