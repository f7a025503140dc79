import Foundation
import SwathGeo
import SwathTiling

extension LabelingService {
    /// Opens the raster, checks it can carry labels, and creates one task per
    /// tile of the project's (or the request's) grid.
    public func registerScene(projectId: ProjectID, _ request: SceneRegistration, by caller: User) async throws -> SceneView {
        let (project, access) = try await access(caller, projectId: projectId)
        try access.require(.manager, to: "registering scenes")
        try sceneSources.check(request.uri, by: caller)
        var settings = project.settings
        settings.tileSize = request.tileSize ?? settings.tileSize
        settings.overlap = request.overlap ?? (request.tileSize == nil ? settings.overlap : 0)
        try settings.validate()
        if let preEvent = request.preEventSceneId {
            guard let other = try await store.scene(id: preEvent), other.projectId == projectId else {
                throw LabelingError.invalid("preEventSceneId \(preEvent) is not a scene of this project")
            }
        }
        // A request's scene is opened as a GeoTIFF (COGs included) only; the operator's CLI opens anything GDAL reads.
        let drivers = caller.id == User.commandLine.id ? nil : SceneSourcePolicy.rasterDrivers
        let (draft, tasks) = try Self.readScene(request, projectId: projectId, settings: settings, drivers: drivers)
        let scene = try await store.createScene(draft, tasks: tasks, actor: caller.auditId, at: now())
        return SceneView(scene, access: access, taskCount: tasks.count)
    }

    public func scenes(projectId: ProjectID, for caller: User) async throws -> [SceneView] {
        let (_, access) = try await access(caller, projectId: projectId)
        return try await store.scenes(projectId: projectId).map { SceneView($0, access: access) }
    }

    public func scene(id: SceneID, for caller: User) async throws -> SceneView {
        let (scene, _, access) = try await sceneAccess(caller, sceneId: id)
        return SceneView(scene, access: access, taskCount: try await store.tasks(sceneId: id).count)
    }

    /// Everything the store keeps about a scene, read once with GDAL.
    static func readScene(_ request: SceneRegistration, projectId: ProjectID, settings: ProjectSettings,
                          drivers: [String]?) throws -> (SceneDraft, [TaskDraft]) {
        let raster: Raster
        do {
            raster = try Raster.open(request.uri, drivers: drivers)
        } catch let error as GeoError {
            throw LabelingError.invalid(error.description)
        }
        guard let crs = raster.crs, let transform = raster.geoTransform else {
            throw LabelingError.invalid("\(request.uri) is not georeferenced (it needs a CRS and a geotransform to carry labels)")
        }
        let roles = request.bandRoles ?? [:]
        for (role, band) in roles {
            guard SceneRegistration.knownBandRoles.contains(role) else {
                throw LabelingError.invalid("band role '\(role)' is unknown (known: \(SceneRegistration.knownBandRoles.sorted().joined(separator: ", ")))")
            }
            guard (1...raster.bandCount).contains(band) else {
                throw LabelingError.invalid("band role '\(role)' names band \(band), but \(request.uri) has \(raster.bandCount) band(s)")
            }
        }
        let toWGS84: Reprojector
        let footprint: Footprint
        do {
            toWGS84 = try Reprojector.toWGS84(from: crs)
            footprint = try Footprint(window: raster.bounds, transform: transform, toWGS84: toWGS84, segmentsPerEdge: 16)
        } catch GeoError.projection(let reason) {
            // Tasks, labels and exports are all placed in WGS84: a scene that cannot get there is refused, said why.
            throw LabelingError.invalid("\(request.uri) has no footprint in WGS84 (its CRS is \(crs.describedName)), so it cannot be labeled: \(reason)")
        }
        let grid = TileGrid(sceneSize: raster.size, size: settings.tileSize, overlap: settings.overlap, edge: .shrink)
        guard grid.count <= 200_000 else {
            throw LabelingError.invalid("\(request.uri) would make \(grid.count) tasks; use a larger tileSize")
        }
        let tasks = try (0..<grid.count).map { index -> TaskDraft in
            let tile = grid.tile(at: index)
            let outline = try Footprint(window: tile.sourceWindow, transform: transform, toWGS84: toWGS84)
            return TaskDraft(window: tile.sourceWindow, footprintWGS84: GeoJSONGeometry(outline).json, bboxWGS84: outline.bbox,
                             priority: request.priority ?? 0)
        }
        let bands = raster.bands
        let draft = SceneDraft(
            projectId: projectId, uri: request.uri, crsWKT: crs.wkt, epsg: crs.epsg, geoTransform: transform.coefficients,
            width: raster.width, height: raster.height, bandCount: raster.bandCount, dataType: bands[0].dataType.name,
            acquiredAt: request.acquiredAt, sensor: request.sensor, bandRoles: roles, preEventSceneId: request.preEventSceneId,
            tileSize: settings.tileSize, overlap: settings.overlap, bboxWGS84: footprint.bbox)
        return (draft, tasks)
    }
}

extension LabelingService {
    /// A scene to draw on a map. Any member of its project may look at the
    /// imagery; everyone else gets "not found".
    public func sceneForMap(id: SceneID, by caller: User) async throws -> Scene {
        try await sceneAccess(caller, sceneId: id).0
    }
}
