import Foundation
import SwathGeo
import SwathLabels

/// How much the integrity checks add to handing in work on a big project:
/// a project of `labels` labels (ten outlines per task, laid out as `layout` says, every
/// one handed in through the real service, so the copy index holds them
/// all), a reference layer of a tenth as many buildings, then `samples`
/// submissions checked again and timed (`LabelingService.checkSubmission`,
/// the work `afterSubmission` does before recording).
public struct CheckBenchmark {
    public var labels = 100_000
    public var samples = 500
    public var seed: UInt64 = 7
    public var layout = Layout.typical

    /// How the objects sit. `typical`: ten outlines 12–60 px across on a 256 px tile, buildings on sub-metre
    /// imagery. `dense`: ten 6–14 px outlines on a 64 px tile, the worst case for every shape key (small
    /// outlines differ by less than a copier's jitter, and every layout looks alike).
    public enum Layout: String, Sendable, CaseIterable {
        case typical, dense
        var tileSize: Int { self == .typical ? 256 : 64 }
        var radii: ClosedRange<Double> { self == .typical ? 6...30 : 3...7 }
        var vertices: ClosedRange<Int> { self == .typical ? 5...12 : 5...9 }
    }

    public init() {}

    public struct Report: Sendable {
        public var labels: Int
        public var referenceFeatures: Int
        public var samples: Int
        public var p50: Double
        public var p99: Double
        public var populateSeconds: Double
    }

    static let perTask = 10
    static let annotators = 20

    public func run(in directory: String) async throws -> Report {
        guard labels >= 1000, samples >= 10 else { throw SimulationError("bench-checks needs at least 1000 labels and 10 samples") }
        var random = SimulationRandom(seed: seed)
        let tasks = (labels + Self.perTask - 1) / Self.perTask
        let side = Int(Double(tasks).squareRoot().rounded(.up))
        let path = directory + "/bench_scene.tif"
        let raster = try Raster.create(path, driver: "GTiff", size: Size(width: side * layout.tileSize, height: side * layout.tileSize), bandCount: 1,
                                       dataType: .byte, options: ["TILED=YES", "COMPRESS=DEFLATE", "SPARSE_OK=TRUE"])
        let transform = GeoTransform(originX: 500_000, pixelWidth: 10, originY: 4_600_000, pixelHeight: -10)
        try raster.setGeoTransform(transform)
        try raster.setCRS(try CRS("EPSG:32633"))
        try raster.flush()
        let store = try SQLiteStore(path: directory + "/bench.sqlite", seed: seed)
        let service = LabelingService(store: store)
        let admin = try await service.ensureAdmin(token: "bench-checks-admin-token-0123456789")
        let project = try await service.createProject(ProjectDraft(customer: "Bench", codename: "CHECKS",
                                                                   settings: ProjectSettings(tileSize: layout.tileSize, goldRate: 0)), by: admin)
        var annotators: [User] = []
        for index in 0..<Self.annotators {
            let (annotator, _) = try await service.createUser(name: "annotator \(index)", isAdmin: false, by: admin)
            try await service.addMember(projectId: project.id, userId: annotator.id, role: .annotator, by: admin)
            annotators.append(annotator)
        }
        _ = try await service.registerScene(projectId: project.id, SceneRegistration(uri: path), by: admin)
        let georeferencing = try Georeferencing(transform: transform, crs: try CRS("EPSG:32633"))
        let started = Date()
        var references: [JSONValue] = []
        var submitted: [(task: TaskID, user: UserID)] = []
        while submitted.count < tasks, case let annotator = annotators[submitted.count % annotators.count],
              let task = try await service.claim(projectId: project.id, by: annotator) {
            var features: [JSONValue] = []
            // Objects are scattered at random without overlapping (a layout that jams starts again), as buildings
            // on a tile are: a regular grid would make every task's layout alike and the pair index useless.
            var placed: [(centre: Point, radius: Double)] = []
            var attempts = 0
            var firstRing: [Point] = []
            while features.count < Self.perTask {
                attempts += 1
                if attempts > 2000 { (features, placed, attempts) = ([], [], 0) }
                let radius = exp(random.uniform(log(layout.radii.lowerBound)...log(layout.radii.upperBound)))
                let centre = Point(x: random.uniform((radius + 1)...(Double(layout.tileSize) - radius - 1)),
                                   y: random.uniform((radius + 1)...(Double(layout.tileSize) - radius - 1)))
                guard placed.allSatisfy({ hypot($0.centre.x - centre.x, $0.centre.y - centre.y) > $0.radius + radius + 1 }) else { continue }
                placed.append((centre, radius))
                let count = Int.random(in: layout.vertices, using: &random)
                let ring = (0..<count).map { index -> Point in
                    let angle = 2 * Double.pi * Double(index) / Double(count), reach = radius * random.uniform(0.7...1.0)
                    return Point(x: centre.x + reach * cos(angle), y: centre.y - reach * sin(angle))
                }
                features.append(SimulatedAnnotator.feature(ring, classId: SimulatedScene.classes[features.count % 2], seconds: 30))
                if features.count == 1 { firstRing = ring }
            }
            let offset = Point(x: Double(task.window.col), y: Double(task.window.row))
            let lonLat = try georeferencing.pixelToLonLat((firstRing + [firstRing[0]]).map { Point(x: $0.x + offset.x, y: $0.y + offset.y) })
            references.append(.object(["type": .string("Feature"), "properties": .object([:]),
                                       "geometry": .object(["type": .string("Polygon"),
                                                            "coordinates": .array([.array(lonLat.map { .array([.number($0.x), .number($0.y)]) })])])]))
            let collection = try GeoJSONFeatureCollection(json: .object(["type": .string("FeatureCollection"), "features": .array(features)]))
            _ = try await service.saveLabels(taskId: task.id, collection, space: .pixel, by: annotator)
            _ = try await service.submit(taskId: task.id, by: annotator)
            submitted.append((task.id, annotator.id))
        }
        let layer = JSONValue.object(["type": .string("FeatureCollection"), "features": .array(references)])
        _ = try await service.registerReferenceLayer(projectId: project.id, name: "bench buildings", data: layer.serialized, by: admin)
        let populate = Date().timeIntervalSince(started)
        var timings: [Double] = []
        for _ in 0..<samples {
            let sample = submitted[Int.random(in: 0..<submitted.count, using: &random)]
            let begin = DispatchTime.now().uptimeNanoseconds
            _ = try await service.checkSubmission(taskId: sample.task, userId: sample.user)
            timings.append(Double(DispatchTime.now().uptimeNanoseconds - begin) / 1e9)
        }
        timings.sort()
        return Report(labels: submitted.count * Self.perTask, referenceFeatures: references.count, samples: samples,
                      p50: timings[timings.count / 2], p99: timings[min(timings.count - 1, Int(Double(timings.count) * 0.99))],
                      populateSeconds: populate)
    }
}
