import Foundation
import SwathGeo

/// Jobs as requesters and workers see them: the role checks here, the
/// atomic claims and leases in the store.
extension LabelingService {
    /// Queues an export of `projectId` with its options as JSON (checked by the caller of this,
    /// which knows them). Managers and trainers export; trainers only accepted labels.
    public func queueExport(projectId: ProjectID, parameters: String, statuses: Set<TaskStatus>, by caller: User) async throws -> JobView {
        let (_, access) = try await access(caller, projectId: projectId)
        try access.requireTrainingData(statuses: statuses, to: "exporting training chips")
        return try await queue(.export, projectId: projectId, parameters: parameters, access: access)
    }

    /// Queues a scene's wildfire stacks (options as JSON, checked by the caller). Managers and trainers;
    /// trainers use accepted labels only; a pre-fire scene must be one of the same project. A DEM is
    /// named by managers only, from the sources scenes may come from, and must open as a georeferenced GeoTIFF.
    public func queueWildfire(sceneId: SceneID, preSceneId: SceneID?, dem: String? = nil, parameters: String,
                              statuses: Set<TaskStatus>, by caller: User) async throws -> JobView {
        let (scene, _, access) = try await sceneAccess(caller, sceneId: sceneId)
        try access.requireTrainingData(statuses: statuses, to: "extracting wildfire features")
        if let preSceneId {
            guard let pre = try await store.scene(id: preSceneId), pre.projectId == scene.projectId else {
                throw LabelingError.invalid("preSceneId \(preSceneId) is not a scene of this project")
            }
        }
        if let dem {
            try access.require(.manager, to: "naming a DEM")
            try checkDEM(dem, by: caller)
        }
        return try await queue(.wildfire, projectId: scene.projectId, parameters: parameters, access: access)
    }

    /// A project's wildfire-spread dataset as a job. Weather sources and a DEM are files on the servers: only
    /// managers name them, each must pass the scene-source policy and open with an allowed driver (weather:
    /// `weatherDrivers`, multidimensional; the DEM a georeferenced GeoTIFF) before anything is queued.
    public func queueSpreadDataset(projectId: ProjectID, weather: [String], weatherDrivers: [String], dem: String?, parameters: String,
                                   statuses: Set<TaskStatus>, by caller: User) async throws -> JobView {
        let (_, access) = try await access(caller, projectId: projectId)
        try access.requireTrainingData(statuses: statuses, to: "building a spread dataset")
        if !weather.isEmpty {
            try access.require(.manager, to: "naming weather sources")
            for path in weather { try checkWeather(path, drivers: weatherDrivers, by: caller) }
        }
        if let dem {
            try access.require(.manager, to: "naming a DEM")
            try checkDEM(dem, by: caller)
        }
        return try await queue(.spread, projectId: projectId, parameters: parameters, access: access)
    }

    /// A weather source passes the scene-source policy, then opens as a multidimensional dataset of an allowed format.
    private func checkWeather(_ uri: String, drivers: [String], by caller: User) throws {
        // A Zarr store is a folder.
        try checkSource(uri, field: "weather", noun: "weather source", allowingFolders: true, by: caller)
        do {
            _ = try MultiDimensionalDataset.open(uri, drivers: drivers)
        } catch let error as GeoError {
            throw LabelingError.invalid("weather: \(error.description)")
        }
    }

    /// The DEM passes the scene-source policy, then opens as a georeferenced GeoTIFF
    /// (whether it covers the scene is the worker's check, with the scene open).
    private func checkDEM(_ uri: String, by caller: User) throws {
        try checkSource(uri, field: "dem", noun: "DEM", by: caller)
        let raster: Raster
        do {
            raster = try Raster.open(uri, drivers: SceneSourcePolicy.rasterDrivers)
        } catch let error as GeoError {
            throw LabelingError.invalid("dem: \(error.description)")
        }
        guard raster.crs != nil, raster.geoTransform != nil else {
            throw LabelingError.invalid("dem: \(uri) is not georeferenced (it needs a CRS and a geotransform)")
        }
    }

    /// A file a request names passes the scene-source policy; its refusal names the request's field and what the file is.
    private func checkSource(_ uri: String, field: String, noun: String, allowingFolders: Bool = false, by caller: User) throws {
        do {
            try sceneSources.check(uri, by: caller, allowingFolders: allowingFolders)
        } catch LabelingError.invalid(let reason) {
            throw LabelingError.invalid("\(field): \(reason.replacingOccurrences(of: "scene URI", with: noun))")
        } catch LabelingError.forbidden(let reason) {
            throw LabelingError.forbidden("\(field): \(reason.replacingOccurrences(of: "scene URI", with: noun))")
        }
    }

    /// A requested job, its options within bounds, queued (the store bounds how many may wait).
    private func queue(_ kind: JobKind, projectId: ProjectID, parameters: String, access: ProjectAccess) async throws -> JobView {
        guard parameters.utf8.count <= JobRules.maximumParametersBytes else {
            throw LabelingError.invalid("the \(kind.rawValue) job's options are larger than \(JobRules.maximumParametersBytes) bytes")
        }
        let job = try await store.createJob(JobDraft(projectId: projectId, kind: kind, parameters: parameters),
                                            actor: access.user.auditId, at: now())
        return JobView(job, access: access)
    }

    /// Queues the overview build of a scene just registered (by a manager, who registered it).
    public func queueOverviews(sceneId: SceneID, by caller: User) async throws -> Job {
        let (scene, _, access) = try await sceneAccess(caller, sceneId: sceneId)
        try access.require(.manager, to: "building overviews")
        return try await store.createJob(JobDraft(projectId: scene.projectId, kind: .overviews, parameters: "{\"sceneId\":\(sceneId)}"),
                                         actor: caller.auditId, at: now())
    }

    /// A job of a project the caller is a member of; "not found" otherwise, as for a job that does not exist.
    public func job(id: JobID, kind: JobKind, for caller: User) async throws -> JobView {
        guard let job = try await store.job(id: id), job.kind == kind else { throw LabelingError.notFound("\(kind.rawValue) \(id) not found") }
        let access: ProjectAccess
        do {
            (_, access) = try await self.access(caller, projectId: job.projectId)
        } catch LabelingError.notFound {
            throw LabelingError.notFound("\(kind.rawValue) \(id) not found")
        }
        try access.require(.trainer, .manager, to: "following \(kind.rawValue) jobs")
        return JobView(job, access: access)
    }

    // MARK: - Workers (the operator's processes: no caller to check)

    public func claimJob(worker: String, leaseSeconds: Int) async throws -> Job? {
        try await store.claimJob(worker: worker, leaseSeconds: leaseSeconds, at: now())
    }

    public func heartbeatJob(_ job: Job, worker: String, done: Int, total: Int, leaseSeconds: Int) async throws -> Bool {
        try await store.heartbeatJob(id: job.id, worker: worker, done: done, total: total, leaseSeconds: leaseSeconds, at: now())
    }

    public func finishJob(_ job: Job, worker: String, result: String) async throws -> Bool {
        try await store.finishJob(id: job.id, worker: worker, result: result, at: now())
    }

    public func failJob(_ job: Job, worker: String, error: String) async throws -> Job? {
        try await store.failJob(id: job.id, worker: worker, error: error, at: now())
    }

    public func job(id: JobID) async throws -> Job? {
        try await store.job(id: id)
    }
}
