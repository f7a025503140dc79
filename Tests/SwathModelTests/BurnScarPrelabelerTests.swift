import Foundation
import Testing
@testable import SwathModel
import SwathGeo
import SwathLabels
import SwathTestSupport

/// Burn scars drafted from a synthetic fire with a known perimeter: a disc of 500 m radius burned
/// (NIR 3000 → 1000, SWIR2 1000 → 2500: dNBR 0.93, high severity), a 3 × 3-pixel speck burned far
/// from it (0.09 ha, under the 0.5 ha unit) and a 4 × 4-pixel unburned hole inside it (0.16 ha).
@Suite struct BurnScarPrelabelerTests {
    static let size = Size(width: 200, height: 160)
    static let origin = (x: 600_000.0, y: 4_300_000.0)
    static let centre = (col: 100.0, row: 80.0)
    static let radiusPixels = 50.0

    struct World {
        let directory: TemporaryDirectory
        let service: LabelingService
        let project: ProjectView
        let pre: SceneView
        let post: SceneView
    }

    static func writeScene(_ path: String, burned: Bool, origin: (x: Double, y: Double) = origin) throws {
        let raster = try Raster.create(path, driver: "GTiff", size: size, bandCount: 2, dataType: .uint16)
        try raster.setGeoTransform(GeoTransform([origin.x, 10, 0, origin.y, 0, -10]))
        try raster.setCRS(try CRS("EPSG:32610"))
        var nir = [UInt16](repeating: 0, count: size.width * size.height), swir2 = nir
        for row in 0..<size.height {
            for col in 0..<size.width {
                let index = row * size.width + col
                let noise = UInt16((col * 7 + row * 13) % 41)  // a little texture, far from any threshold
                let (dx, dy) = (Double(col) + 0.5 - centre.col, Double(row) + 0.5 - centre.row)
                let inDisc = dx * dx + dy * dy <= radiusPixels * radiusPixels
                let inHole = (98..<102).contains(col) && (78..<82).contains(row)
                let inSpeck = (10..<13).contains(col) && (10..<13).contains(row)
                let fire = burned && ((inDisc && !inHole) || inSpeck)
                nir[index] = (fire ? 1000 : 3000) + noise
                swir2[index] = (fire ? 2500 : 1000) + noise
            }
        }
        try raster.write(nir + swir2, window: Window(col: 0, row: 0, width: size.width, height: size.height))
        try raster.close()
    }

    static func world(preOrigin: (x: Double, y: Double) = origin, roles: [String: Int] = ["nir": 1, "swir2": 2]) async throws -> World {
        let directory = try TemporaryDirectory("burn-scars")
        try writeScene(directory.file("pre.tif"), burned: false, origin: preOrigin)
        try writeScene(directory.file("post.tif"), burned: true)
        let service = LabelingService(store: try SQLiteStore(path: directory.file("burn.sqlite")))
        let project = try await service.createProject(ProjectDraft(customer: "Acme", codename: "EMBER", settings: ProjectSettings(tileSize: 64)),
                                                      by: .commandLine)
        let pre = try await service.registerScene(projectId: project.id, SceneRegistration(uri: directory.file("pre.tif"), bandRoles: roles),
                                                  by: .commandLine)
        var registration = SceneRegistration(uri: directory.file("post.tif"), bandRoles: roles)
        registration.preEventSceneId = pre.id
        let post = try await service.registerScene(projectId: project.id, registration, by: .commandLine)
        return World(directory: directory, service: service, project: project, pre: pre, post: post)
    }

    /// The known perimeter: the disc, as a 720-gon in the scene's CRS.
    static var perimeter: MultiPolygon {
        let (cx, cy) = (origin.x + centre.col * 10, origin.y - centre.row * 10)
        let ring = (0...720).map { step -> Point in
            let angle = Double(step % 720) / 720 * 2 * .pi
            return Point(x: cx + 500 * cos(angle), y: cy + 500 * sin(angle))
        }
        return MultiPolygon(Polygon(rings: [ring]))
    }

    @Test func theDraftedScarMatchesTheKnownPerimeter() async throws {
        let world = try await Self.world()
        let report = try await BurnScarPrelabeler(service: world.service).run(sceneId: world.post.id, preSceneId: nil, options: BurnScarOptions(),
                                                                              by: .commandLine)
        let labels = try await world.service.store.labels(projectId: world.project.id, bbox: nil, statuses: Set(TaskStatus.allCases))
            .filter { $0.sceneId == world.post.id }
        #expect(!labels.isEmpty && labels.allSatisfy { $0.source == .model && $0.classId == 205 }, "\(labels.map(\.classId))")
        #expect(report.regions == 1 && report.saved.labelsCreated == labels.count, "one scar: the speck and the hole are under the unit")
        #expect(labels.allSatisfy { $0.attributes["model"] == .string("burn-scars-dnbr") })
        if case .number(let mean)? = labels.first?.attributes["meanDNBR"] {
            let expected = 0.5 - (1000.0 - 2500.0) / 3500.0  // NBR before 0.5 (plus texture), after −0.43
            #expect(abs(mean - expected) < 0.02, "\(mean)")
        } else {
            Issue.record("no meanDNBR")
        }
        let scar = try MultiPolygon.union(labels.map(\.geometry))
        let shared = try scar.intersection(Self.perimeter).area
        let iou = shared / (scar.area + Self.perimeter.area - shared)
        #expect(iou >= 0.95, "IoU \(iou)")
        // The hole is filled: the scar covers it; the speck is gone: nothing near it.
        let hole = GeoTransform([Self.origin.x, 10, 0, Self.origin.y, 0, -10]).outline(Window(col: 98, row: 78, width: 4, height: 4))
        #expect(abs(try scar.intersection(hole).area - hole.area) < 1e-6)
        let speck = GeoTransform([Self.origin.x, 10, 0, Self.origin.y, 0, -10]).outline(Window(col: 0, row: 0, width: 30, height: 30))
        #expect(try scar.intersection(speck).area == 0)
        // Simplified by at most half a pixel: far fewer vertices than the staircase of pixel edges.
        #expect(scar.polygons.reduce(0) { $0 + $1.rings.reduce(0) { $0 + $1.count } } < 400)
    }

    /// With the unit at 0 the speck and the hole stay; thresholds move the scar's class.
    @Test func theUnitAndTheThresholdsAreHonoured() async throws {
        let world = try await Self.world()
        let source = try await world.service.exportSource(projectId: world.project.id, statuses: [.accepted], by: .commandLine)
        let inputs = try source.wildfireInputs(sceneId: world.post.id)
        var options = BurnScarOptions()
        options.minimumMappingUnitHectares = 0
        let raw = try BurnScarPrelabeler.regions(post: inputs.post, pre: try #require(inputs.pre), options: options)
        #expect(raw.count == 2 && raw.allSatisfy { $0.level == 4 }, "the scar and the speck")
        #expect(raw.contains { $0.shape.polygons.first?.rings.count == 2 }, "the scar keeps its hole")
        options.thresholds = [0.1, 0.27, 0.44, 1.0]
        options.minimumMappingUnitHectares = 0.5
        let moved = try BurnScarPrelabeler.regions(post: inputs.post, pre: try #require(inputs.pre), options: options)
        #expect(moved.map(\.level) == [3], "dNBR 0.93 is moderate-high under a 1.0 high threshold")
        #expect(try BurnScarPrelabeler.pixels(hectares: 0.5, transform: GeoTransform([0, 10, 0, 0, 0, -10]), crs: try CRS("EPSG:32610")) >= 50)
    }

    /// Tasks an annotator holds are left alone; bad inputs are refused naming what is wrong, nothing saved.
    @Test func annotatorsWorkAndBadInputs() async throws {
        let world = try await Self.world()
        let (annotator, _) = try await world.service.createUser(name: "ann", isAdmin: false, by: .commandLine)
        try await world.service.addMember(projectId: world.project.id, userId: annotator.id, role: .annotator, by: .commandLine)
        let postTasks = Set(try await world.service.store.tasks(sceneId: world.post.id).map(\.id))
        let preTasks = Set(try await world.service.store.tasks(sceneId: world.pre.id).map(\.id))
        // The task at the scar's centre (row 1, col 1 of 64-pixel tasks), held by the annotator.
        let centreTask = try #require(try await world.service.store.tasks(sceneId: world.post.id).first { $0.window.col == 64 && $0.window.row == 64 })
        let held = try #require(try await world.service.claim(projectId: world.project.id, skipping: postTasks.union(preTasks).subtracting([centreTask.id]),
                                                              by: annotator))
        #expect(held.id == centreTask.id)
        let report = try await BurnScarPrelabeler(service: world.service).run(sceneId: world.post.id, preSceneId: nil, options: BurnScarOptions(),
                                                                              by: .commandLine)
        #expect(report.saved.tasksSkipped == 1)
        #expect(try await world.service.store.labels(taskId: held.id, privateTo: nil).isEmpty, "nothing over the annotator's work")

        let prelabeler = BurnScarPrelabeler(service: world.service)
        await #expect(throws: LabelingError.self) {
            try await prelabeler.run(sceneId: world.post.id, preSceneId: nil, options: BurnScarOptions(), by: annotator)
        }
        for (thresholds, mmu) in [([0.3, 0.2, 0.44, 0.66], 0.5), ([0.1, 0.27, 0.44], 0.5), ([0.1, 0.27, 0.44, 0.66], -1.0)] {
            var options = BurnScarOptions()
            options.thresholds = thresholds
            options.minimumMappingUnitHectares = mmu
            await #expect(throws: BurnScarError.self) {
                try await prelabeler.run(sceneId: world.post.id, preSceneId: nil, options: options, by: .commandLine)
            }
        }
        await #expect(performing: { try await prelabeler.run(sceneId: world.pre.id, preSceneId: nil, options: BurnScarOptions(), by: .commandLine) },
                      throws: { ($0 as? BurnScarError)?.description.contains("no pre-fire scene") == true })

        let far = try await Self.world(preOrigin: (x: 700_000, y: 4_400_000))
        await #expect(performing: { try await BurnScarPrelabeler(service: far.service).run(sceneId: far.post.id, preSceneId: nil,
                                                                                           options: BurnScarOptions(), by: .commandLine) },
                      throws: { ($0 as? BurnScarError)?.description.contains("does not overlap") == true || "\($0)".contains("overlap") })
        let noSwir = try await Self.world(roles: ["nir": 1, "red": 2])
        await #expect(performing: { try await BurnScarPrelabeler(service: noSwir.service).run(sceneId: noSwir.post.id, preSceneId: nil,
                                                                                              options: BurnScarOptions(), by: .commandLine) },
                      throws: { "\($0)".contains("swir2") })
    }
}
