import Foundation
import SwathGeo
import SwathLabels

/// The project the workforce plays: users and roles, the scene cut into
/// tasks, gold tasks marked with their truth, and model pre-labels.
struct SimulationWorld {
    let service: LabelingService
    let projectId: ProjectID
    let sceneId: SceneID
    let manager: User
    var annotators: [SimulatedAnnotator]
    /// Gold task ids (their truth is the scene's).
    var gold: Set<TaskID>
    var tasks: [LabelTask]
    /// (annotator index, task id) for each submission, in order.
    var worked: [(Int, TaskID)] = []
    /// The public-like reference layer's buildings per tile, in tile pixels (what reference pasters paste).
    var reference: [[[Point]]] = []
    /// What honest annotators drew, per submission, and whether the task offered them pre-labels.
    var efforts: [(taskId: TaskID, preLabelled: Bool, effort: TraceEffort)] = []

    func isPaused(_ userId: UserID) async throws -> Bool {
        try await service.store.pauses(projectId: projectId).contains { $0.userId == userId && $0.isActive }
    }

    static func build(service: LabelingService, scene: SimulatedScene, options: SimulationOptions,
                      using random: inout SimulationRandom) async throws -> SimulationWorld {
        let admin = try await service.ensureAdmin(token: "simulation-admin-token")
        let settings = ProjectSettings(tileSize: SimulatedScene.tileSize, labelsPerTask: options.annotatorsPerTask,
                                       goldRate: options.goldShare > 0 ? 0.1 : 0)
        let project = try await service.createProject(ProjectDraft(customer: "Simulated customer", codename: "SIMULATION", settings: settings),
                                                      by: admin)
        let (manager, _) = try await service.createUser(name: "manager", isAdmin: false, by: admin)
        try await service.addMember(projectId: project.id, userId: manager.id, role: .manager, by: admin)
        let annotators = try await workforce(service: service, projectId: project.id, options: options, admin: admin, using: &random)
        let registered = try await service.registerScene(projectId: project.id, SceneRegistration(uri: scene.path), by: manager)
        let tasks = try await service.store.tasks(sceneId: registered.id)
        var world = SimulationWorld(service: service, projectId: project.id, sceneId: registered.id, manager: manager, annotators: annotators,
                                    gold: [], tasks: tasks)
        try await world.markGold(scene: scene, share: options.goldShare, using: &random)
        try await world.registerReference(scene: scene, using: &random)
        if options.preLabels == .imported {
            try await world.importPreLabels(scene: scene, share: options.preLabelShare, using: &random)
        }
        if options.activeLearning {
            _ = try await service.updateSettings(projectId: project.id, by: manager) { settings in
                var changed = settings
                changed.queueOrder = .uncertainty
                return changed
            }
        }
        return world
    }

    static func workforce(service: LabelingService, projectId: ProjectID, options: SimulationOptions, admin: User,
                          using random: inout SimulationRandom) async throws -> [SimulatedAnnotator] {
        var kinds: [DishonestKind?] = Array(repeating: nil, count: options.honest)
        for kind in DishonestKind.allCases {
            kinds += Array(repeating: kind, count: kind == .colluder ? options.colluderCount : options.perDishonestKind)
        }
        var annotators: [SimulatedAnnotator] = []
        for (number, kind) in kinds.enumerated() {
            let (user, _) = try await service.createUser(name: "annotator \(number + 1)", isAdmin: false, by: admin)
            try await service.addMember(projectId: projectId, userId: user.id, role: .annotator, by: admin)
            annotators.append(SimulatedAnnotator(user: user, kind: kind, jitter: random.uniform(0.6...1.4), missSmall: random.uniform(0.05...0.25),
                                                 confusion: random.uniform(0.01...0.06)))
        }
        // Colluders pair up in order of joining.
        let colluders = annotators.indices.filter { annotators[$0].kind == .colluder }
        for pair in stride(from: 0, to: colluders.count - 1, by: 2) {
            annotators[colluders[pair]].partner = colluders[pair + 1]
            annotators[colluders[pair + 1]].partner = colluders[pair]
        }
        return annotators
    }

    /// A share of tasks (with at least one object) becomes gold, the truth their reference.
    mutating func markGold(scene: SimulatedScene, share: Double, using random: inout SimulationRandom) async throws {
        let candidates = tasks.filter { !scene.truth[scene.tileIndex(of: $0.window)].isEmpty }.shuffled(using: &random)
        for task in candidates.prefix(Int((share * Double(tasks.count)).rounded())) {
            let features = scene.truth[scene.tileIndex(of: task.window)].map {
                SimulatedAnnotator.feature($0.vertices, classId: $0.classId, seconds: 0)
            }
            let reference = try GeoJSONFeatureCollection(json: .object(["type": .string("FeatureCollection"), "features": .array(features)]))
            _ = try await service.markGold(taskId: task.id, reference: reference, space: .pixel, by: manager)
            gold.insert(task.id)
        }
    }

    /// A public-like building layer: every building of the truth, traced by someone else (0.4 px of their own noise),
    /// in WGS84, registered to the project the way a manager would.
    mutating func registerReference(scene: SimulatedScene, using random: inout SimulationRandom) async throws {
        var features: [JSONValue] = []
        reference = Array(repeating: [], count: scene.truth.count)
        for (tile, objects) in scene.truth.enumerated() {
            let (dx, dy) = (Double((tile % scene.tilesPerSide) * SimulatedScene.tileSize), Double((tile / scene.tilesPerSide) * SimulatedScene.tileSize))
            for object in objects where object.classId == SimulatedScene.classes[0] {
                let ring = object.vertices.map { Point(x: $0.x + random.gaussian(0.4), y: $0.y + random.gaussian(0.4)) }
                guard MultiPolygon(Polygon(rings: [ring + [ring[0]]])).validityProblem == nil else { continue }
                reference[tile].append(ring)
                let lonLat = try scene.georeferencing.pixelToLonLat((ring + [ring[0]]).map { Point(x: $0.x + dx, y: $0.y + dy) })
                features.append(.object([
                    "type": .string("Feature"), "properties": .object(["source": .string("public footprints")]),
                    "geometry": .object(["type": .string("Polygon"), "coordinates": .array([.array(lonLat.map { .array([.number($0.x), .number($0.y)]) })])]),
                ]))
            }
        }
        guard !features.isEmpty else { return }
        let document = JSONValue.object(["type": .string("FeatureCollection"), "features": .array(features)])
        _ = try await service.registerReferenceLayer(projectId: projectId, name: "public building footprints", data: document.serialized, by: manager)
    }

    /// Model pre-labels for a share of the other tasks: the truth, coarsely
    /// traced (2.5 px jitter) with a tenth of the objects missed, imported
    /// the way a manager would (a GeoJSON file in WGS84).
    mutating func importPreLabels(scene: SimulatedScene, share: Double, using random: inout SimulationRandom) async throws {
        var features: [JSONValue] = []
        for task in tasks where !gold.contains(task.id) && random.chance(share) {
            let tile = scene.tileIndex(of: task.window)
            for object in scene.truth[tile] where !random.chance(0.1) {
                let ring = object.vertices.map { Point(x: $0.x + random.gaussian(2.5), y: $0.y + random.gaussian(2.5)) }
                let pixels = (ring + [ring[0]]).map { Point(x: $0.x + Double(task.window.col), y: $0.y + Double(task.window.row)) }
                let lonLat = try scene.georeferencing.pixelToLonLat(pixels)
                features.append(.object([
                    "type": .string("Feature"),
                    "geometry": .object(["type": .string("Polygon"), "coordinates": .array([.array(lonLat.map { .array([.number($0.x), .number($0.y)]) })])]),
                    "properties": .object(["class": .number(Double(object.classId))]),
                ]))
            }
        }
        guard !features.isEmpty else { return }
        let document = JSONValue.object(["type": .string("FeatureCollection"), "features": .array(features)])
        _ = try await service.importLabels(sceneId: sceneId, data: document.serialized,
                                           options: ImportOptions(classField: "class", source: .model), by: manager)
    }
}
