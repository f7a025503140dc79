import Foundation
import SwathGeo

/// The labeling workflow: every operation the HTTP API and the CLI offer,
/// with the caller's role checked against the project that owns the object.
/// A caller outside a project gets "not found" for its objects, so projects
/// cannot be discovered by probing ids.
public final class LabelingService: Sendable {
    public let store: any Store
    let now: @Sendable () -> Date
    let reprojectors = ReprojectorPool()
    let polygonReader = GeoJSONPolygonReader(maximumVertices: 20_000)
    let sceneCache = ImmutableCache<SceneID, Scene>()
    /// Settings changed through another server are seen within a second, as revocations are.
    let projectCache = ImmutableCache<ProjectID, Project>(lifetime: .seconds(1))
    let tokenCache = TokenCache()
    let sceneSources: SceneSourcePolicy
    /// Where work that failed after the caller's request succeeded is reported (the server's log).
    let backgroundFailure: @Sendable (String) -> Void

    /// `clock` is injectable so tests can move time past a lease.
    public init(store: any Store, clock: @escaping @Sendable () -> Date = { Date() },
                sceneSources: SceneSourcePolicy = SceneSourcePolicy(),
                backgroundFailure: @escaping @Sendable (String) -> Void = { FileHandle.standardError.write(Data("swath: \($0)\n".utf8)) }) {
        self.store = store
        self.now = clock
        self.sceneSources = sceneSources
        self.backgroundFailure = backgroundFailure
    }

    /// The caller's roles in a project; 404 when the project does not exist
    /// or the caller is not part of it.
    func access(_ user: User, projectId: ProjectID) async throws -> (Project, ProjectAccess) {
        guard let project = try await projectCache.value(projectId, load: { try await store.project(id: projectId) }) else {
            throw LabelingError.notFound("project \(projectId) not found")
        }
        let access = ProjectAccess(user: user, roles: try await store.roles(userId: user.id, projectId: projectId))
        guard access.isMember else { throw LabelingError.notFound("project \(projectId) not found") }
        return (project, access)
    }

    func sceneAccess(_ user: User, sceneId: SceneID) async throws -> (Scene, Project, ProjectAccess) {
        guard let scene = try await sceneCache.value(sceneId, load: { try await store.scene(id: sceneId) }) else {
            throw LabelingError.notFound("scene \(sceneId) not found")
        }
        do {
            let (project, access) = try await access(user, projectId: scene.projectId)
            return (scene, project, access)
        } catch LabelingError.notFound {
            throw LabelingError.notFound("scene \(sceneId) not found")
        }
    }

    func taskAccess(_ user: User, taskId: TaskID) async throws -> (LabelTask, Project, ProjectAccess) {
        guard let (task, roles) = try await store.taskAccess(taskId: taskId, userId: user.id),
              let project = try await projectCache.value(task.projectId, load: { try await store.project(id: task.projectId) }) else {
            throw LabelingError.notFound("task \(taskId) not found")
        }
        let access = ProjectAccess(user: user, roles: roles)
        guard access.isMember else { throw LabelingError.notFound("task \(taskId) not found") }
        return (task, project, access)
    }
}
