import Foundation
import Testing
@testable import SwathModel
@testable import SwathSimulation
import SwathGeo
import SwathLabels
import SwathTestSupport

/// The pixel classifier on the simulation's painted scene (36 tiles of 128 px: buildings, fields,
/// burn scars and water painted in distinct colours on soil-coloured noise), every task accepted
/// with its ground truth; a model trained once and applied to the same image registered in a
/// second project, whose tasks are open.
/// Serialized, one thread each: the suite runs beside every other and must not starve them.
@Suite(.serialized) struct PixelClassifierTests {
    struct World: Sendable {
        let directory: TemporaryDirectory
        let service: LabelingService
        let scenePath: String
        let trained: SceneID
        let target: SceneID
        let targetProject: ProjectID
        let model: ClassifierModel
        let modelFolder: String
        /// A gold task of the second project: model pre-labels never go there.
        let goldTask: TaskID
        /// Truth class id of every pixel (0: soil).
        let truth: [Int]
        let size: Size
    }

    static let shared = Task<World, any Error> { try await makeWorld() }

    static func makeWorld() async throws -> World {
        let directory = try TemporaryDirectory("pixel-classifier")
        var random = SimulationRandom(seed: 11)
        let scene = try SimulatedScene.make(in: directory.path, tiles: 36, using: &random)
        let service = LabelingService(store: try SQLiteStore(path: directory.file("model.sqlite")))
        let settings = ProjectSettings(tileSize: SimulatedScene.tileSize, goldRate: 0)
        let project = try await service.createProject(ProjectDraft(customer: "Acme", codename: "PAINT", settings: settings), by: .commandLine)
        let other = try await service.createProject(ProjectDraft(customer: "Acme", codename: "EASEL", settings: settings), by: .commandLine)
        let trained = try await service.registerScene(projectId: project.id, SceneRegistration(uri: scene.path), by: .commandLine)
        let target = try await service.registerScene(projectId: other.id, SceneRegistration(uri: scene.path), by: .commandLine)
        let (annotator, _) = try await service.createUser(name: "ann", isAdmin: false, by: .commandLine)
        let (reviewer, _) = try await service.createUser(name: "rey", isAdmin: false, by: .commandLine)
        try await service.addMember(projectId: project.id, userId: annotator.id, role: .annotator, by: .commandLine)
        try await service.addMember(projectId: project.id, userId: reviewer.id, role: .reviewer, by: .commandLine)
        while let task = try await service.claim(projectId: project.id, by: annotator) {
            let features = scene.truth[scene.tileIndex(of: task.window)].map { SimulatedAnnotator.feature($0.vertices, classId: $0.classId, seconds: 30) }
            let collection = try GeoJSONFeatureCollection(json: .object(["type": .string("FeatureCollection"), "features": .array(features)]))
            _ = try await service.saveLabels(taskId: task.id, collection, space: .pixel, by: annotator)
            _ = try await service.submit(taskId: task.id, by: annotator)
            _ = try await service.review(taskId: task.id, decision: .accept, comment: nil, by: reviewer)
        }
        let targetTasks = try await service.store.tasks(sceneId: target.id)
        let goldTask = try #require(targetTasks.first { !scene.truth[scene.tileIndex(of: $0.window)].isEmpty })
        let reference = scene.truth[scene.tileIndex(of: goldTask.window)].map { SimulatedAnnotator.feature($0.vertices, classId: $0.classId, seconds: 0) }
        _ = try await service.markGold(taskId: goldTask.id, reference: try GeoJSONFeatureCollection(
            json: .object(["type": .string("FeatureCollection"), "features": .array(reference)])), space: .pixel, by: .commandLine)
        var options = TrainingOptions()
        options.blockPixels = 128
        options.threads = 1
        let folder = directory.file("model")
        let model = try await PixelClassifierTrainer(service: service).train(projectId: project.id, options: options, output: folder,
                                                                             by: .commandLine)
        // The truth on the pixel grid, painted the way the simulation paints (pixel centres inside the ring).
        let side = scene.tilesPerSide * SimulatedScene.tileSize
        var truth = [Int](repeating: 0, count: side * side)
        for (tile, objects) in scene.truth.enumerated() {
            let (dx, dy) = ((tile % scene.tilesPerSide) * SimulatedScene.tileSize, (tile / scene.tilesPerSide) * SimulatedScene.tileSize)
            for object in objects {
                for row in 0..<SimulatedScene.tileSize {
                    for col in 0..<SimulatedScene.tileSize
                    where SimulatedScene.contains(object.vertices, Point(x: Double(col) + 0.5, y: Double(row) + 0.5)) {
                        truth[(dy + row) * side + dx + col] = object.classId
                    }
                }
            }
        }
        return World(directory: directory, service: service, scenePath: scene.path, trained: trained.id, target: target.id,
                     targetProject: other.id, model: model, modelFolder: folder, goldTask: goldTask.id, truth: truth, size: Size(width: side, height: side))
    }

    @Test func heldOutBlocksAreClassifiedAccurately() async throws {
        let world = try await Self.shared.value
        let report = world.model.validation
        #expect(world.model.classes.map(\.classId) == [0, 40, 80, 205, 301])
        #expect(report.heldOutPixels > 10_000, "\(report.heldOutPixels)")
        #expect(report.overallAccuracy >= 0.9, "\(report)")
        for metrics in report.classes { #expect(metrics.f1 >= 0.8, "\(metrics)") }
        #expect(world.model.featureNames == ["b1", "b2", "b3", "mean5_b1", "std5_b1", "mean5_b2", "std5_b2", "mean5_b3", "std5_b3"])
        #expect(world.model.features.bands.description == "3 × Byte bands (no band roles)")
    }

    @Test func predictionsMatchTheTruthAndBecomePreLabelsWithTheModelId() async throws {
        let world = try await Self.shared.value
        let out = world.directory.file("predicted-\(UUID().uuidString).tif")
        var options = PredictionOptions(probabilities: out)
        options.threads = 1
        let report = try await PixelClassifierPredictor(service: world.service).predict(modelFolder: world.modelFolder, sceneId: world.target,
                                                                                         options: options, by: .commandLine)
        // Argmax of the Byte probability COG (read back through GDAL) against the painted truth.
        let raster = try Raster.open(out)
        #expect(raster.driverName == "GTiff" && raster.bandCount == 5)
        let planes = try raster.read(raster.bounds, as: UInt8.self)
        let count = world.size.width * world.size.height
        var correct = 0
        for pixel in 0..<count {
            let best = (0..<5).max { planes[$0 * count + pixel] < planes[$1 * count + pixel] }!
            if world.model.classes[best].classId == world.truth[pixel] { correct += 1 }
            #expect(abs((0..<5).reduce(0) { $0 + Int(planes[$1 * count + pixel]) } - 250) <= 3, "probabilities sum to 1")
        }
        #expect(Double(correct) / Double(count) >= 0.95, "\(correct) of \(count)")
        #expect(report.pixelsPredicted == count && report.tasksScored == 36)
        // Pre-labels: every open task, the model's id and confidence on each; per class they cover the truth.
        let labels = try await world.service.store.labels(projectId: world.targetProject, bbox: nil, statuses: Set(TaskStatus.allCases))
        #expect(!labels.isEmpty && labels.allSatisfy { $0.source == .model && $0.attributes["model"] == .string(world.model.id) })
        #expect(!labels.contains { $0.taskId == world.goldTask }, "gold measures annotators: no model pre-labels there")
        #expect(report.preLabels?.tasksSkipped == 1, "\(String(describing: report.preLabels))")
        for label in labels {
            guard case .number(let confidence)? = label.attributes["meanConfidence"] else { Issue.record("no confidence"); continue }
            #expect(confidence > 0.5 && confidence <= 1)
        }
        let scene = try #require(try await world.service.store.scene(id: world.target))
        for classId in [40, 80, 205, 301] {
            let drawn = labels.filter { $0.classId == classId }.map(\.geometry)
            var truthPixels = 0, covered = 0, drawnPixels = 0
            let grid = try Raster.inMemory(size: world.size, bandCount: 1, dataType: .byte)
            try grid.setGeoTransform(scene.transform)
            try grid.rasterize(drawn, values: drawn.map { _ in 1 })
            let mask = try grid.read(grid.bounds, as: UInt8.self)
            for pixel in 0..<count {
                if world.truth[pixel] == classId { truthPixels += 1; if mask[pixel] == 1 { covered += 1 } }
                if mask[pixel] == 1 { drawnPixels += 1 }
            }
            let iou = Double(covered) / Double(truthPixels + drawnPixels - covered)
            #expect(iou >= 0.85, "class \(classId): IoU \(iou)")
        }
        let uncertainty = try await world.service.uncertainty(sceneId: world.target, by: .commandLine)
        #expect(uncertainty.count == 36 && uncertainty.values.allSatisfy { (0...1).contains($0) })
    }

    /// The same model file and features through the `xgboost` Python package: probabilities equal to 1e-6.
    @Test func predictionsEqualThePythonPackagesOnTheSameModelAndFeatures() async throws {
        let world = try await Self.shared.value
        let out = world.directory.file("float-\(UUID().uuidString).tif"), features = world.directory.file("features-\(UUID().uuidString).tif")
        var options = PredictionOptions(probabilities: out)
        options.threads = 1
        options.floatProbabilities = true
        options.features = features
        options.preLabels = false
        _ = try await PixelClassifierPredictor(service: world.service).predict(modelFolder: world.modelFolder, sceneId: world.trained,
                                                                              options: options, by: .commandLine)
        let script = """
            import sys, numpy as np, rasterio, xgboost
            features = rasterio.open(sys.argv[1]).read().astype(np.float32)
            ours = rasterio.open(sys.argv[2]).read()
            rows = features.reshape(features.shape[0], -1).T
            theirs = xgboost.Booster(model_file=sys.argv[3]).inplace_predict(rows)
            mine = ours.reshape(ours.shape[0], -1).T
            print(rows.shape[0], rows.shape[1], theirs.shape[1], float(np.abs(theirs - mine).max()))
            """
        let result = try Shell.run("python3", ["-c", script, features, out, world.modelFolder + "/booster.json"])
        #expect(result.status == 0, "\(result.stderr)")
        let fields = result.stdout.split(separator: " ").map { String($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
        #expect(fields.count == 4 && fields[0] == String(world.size.width * world.size.height) && fields[1] == "9" && fields[2] == "5", "\(fields)")
        #expect((Double(fields.last ?? "") ?? 1) <= 1e-6, "largest difference \(fields.last ?? "?")")
    }

    /// Normalized entropy per task, on a hand-made probability raster of two tasks (2 × 2 pixels each).
    @Test func taskUncertaintyIsTheMeanNormalizedEntropy() throws {
        let size = Size(width: 4, height: 2)
        let canvas = PredictionCanvas(size: size, classCount: 2, floatProbabilities: true,
                                      probabilities: try Raster.inMemory(size: size, bandCount: 2, dataType: .float32), features: nil)
        // Left task: (0.5, 0.5) twice, (0.9, 0.1) twice; right task: certain but for one pixel without data.
        let p: [[Float]] = [[0.5, 0.5], [0.5, 0.5], [1, 0], [1, 0], [0.9, 0.1], [0.9, 0.1], [1, 0], [0, 0]]
        let valid = [true, true, true, true, true, true, true, false]
        let strip = FeatureStrip(rows: 0..<2, width: 4, values: [Float](repeating: 0, count: 8), valid: valid)
        try canvas.record(strip, probabilities: zip(p, valid).filter(\.1).flatMap(\.0), featureCount: 1)
        let tasks = [Window(col: 0, row: 0, width: 2, height: 2), Window(col: 2, row: 0, width: 2, height: 2)].enumerated().map {
            LabelTask(id: Int64($0.offset + 1), projectId: 1, sceneId: 1, window: $0.element, footprintWGS84: .null, status: .open,
                      assigneeId: nil, leaseExpiresAt: nil, priority: 0, updatedAt: Date())
        }
        let uncertainty = PixelClassifierPredictor.taskUncertainty(canvas, tasks: tasks)
        let h = { (p: Double) in -(p * log(p) + (1 - p) * log(1 - p)) / log(2) }
        #expect(abs(uncertainty[1]! - (2 * h(0.5) + 2 * h(0.9)) / 4) < 0.003, "\(uncertainty)")
        #expect(uncertainty[2] == 0, "the pixel without data is not counted")
        #expect(canvas.classes == [1, 1, 1, 1, 1, 1, 1, 0])
    }

    @Test func refusesOtherLayoutsTaxonomiesAndTooFewLabels() async throws {
        let world = try await Self.shared.value
        let service = world.service
        var options = PredictionOptions(probabilities: world.directory.file("never.tif"))
        options.threads = 1
        // Another band layout (the 4-band fixture).
        let fourBands = try await service.registerScene(projectId: world.targetProject, SceneRegistration(uri: Fixture.path("utm_multiband.tif")),
                                                        by: .commandLine)
        let layout = await #expect(throws: ModelError.self) {
            _ = try await PixelClassifierPredictor(service: service).predict(modelFolder: world.modelFolder, sceneId: fourBands.id, options: options,
                                                                            by: .commandLine)
        }
        #expect(layout?.description.contains("trained on 3 × Byte bands (no band roles)") == true, "\(String(describing: layout))")
        #expect(layout?.description.contains("scene \(fourBands.id) has 4 ×") == true, "\(String(describing: layout))")
        // Another taxonomy: class 301 is called something else here.
        var classes = Taxonomy.standard.classes.filter { $0.id != 301 }
        classes.append(TaxonomyClass(id: 301, name: "hangar", group: "structure", color: "#ff0000"))
        let renamed = try await service.createProject(ProjectDraft(customer: "Other", codename: "MIRROR", taxonomy: Taxonomy(classes: classes)),
                                                      by: .commandLine)
        let mirrored = try await service.registerScene(projectId: renamed.id, SceneRegistration(uri: world.scenePath), by: .commandLine)
        let taxonomy = await #expect(throws: ModelError.self) {
            _ = try await PixelClassifierPredictor(service: service).predict(modelFolder: world.modelFolder, sceneId: mirrored.id, options: options,
                                                                            by: .commandLine)
        }
        #expect(taxonomy?.description.contains("301 building") == true && taxonomy?.description.contains("301 hangar") == true,
                "\(String(describing: taxonomy))")
        #expect(!FileManager.default.fileExists(atPath: world.directory.file("never.tif")))
        // Too few labels: the project whose scene has no accepted task.
        let few = await #expect(throws: ModelError.self) {
            _ = try await PixelClassifierTrainer(service: service).train(projectId: renamed.id, options: TrainingOptions(),
                                                                         output: world.directory.file("few"), by: .commandLine)
        }
        #expect(few?.description.contains("0 accepted labels, at least 5 needed") == true, "\(String(describing: few))")
        // An existing folder is never replaced; an edited booster is refused.
        let exists = await #expect(throws: ModelError.self) {
            _ = try await PixelClassifierTrainer(service: service).train(projectId: renamed.id, options: TrainingOptions(),
                                                                         output: world.modelFolder, by: .commandLine)
        }
        #expect(exists?.description.contains("exists") == true)
        let copy = world.directory.file("tampered-\(UUID().uuidString)")
        try FileManager.default.copyItem(atPath: world.modelFolder, toPath: copy)
        let booster = copy + "/booster.json"
        try (String(contentsOfFile: booster, encoding: .utf8) + " ").write(toFile: booster, atomically: true, encoding: .utf8)
        let tampered = #expect(throws: ModelError.self) { _ = try ClassifierModel.load(folder: copy) }
        #expect(tampered?.description.contains("is not the booster model") == true)
    }
}

/// The compiled trees against XGBoost's own predictor on the same rows: equal to 1e-6, missing values included.
@Suite struct CompiledForestTests {
    @Test func compiledTreesPredictWhatXGBoostPredicts() async throws {
        let world = try await PixelClassifierTests.shared.value
        let (model, json) = try ClassifierModel.load(folder: world.modelFolder)
        let forest = try #require(try CompiledForest(json: json, featureCount: model.features.count, classCount: model.classes.count))
        let booster = try XGBoostBooster(json: json, threads: 1)
        // Rows drawn around the training data's range, with some features missing and some exactly on split conditions.
        var generator = SystemRandomNumberGenerator()
        var rows: [Float] = []
        for row in 0..<20_000 {
            for feature in 0..<model.features.count {
                let conditions = forest.conditions[feature]
                if row % 97 == feature { rows.append(.nan) } else if row % 5 == 0, let exact = conditions.randomElement(using: &generator) {
                    rows.append(exact)
                } else {
                    rows.append(Float.random(in: -10...280, using: &generator))
                }
            }
        }
        let ours = rows.withUnsafeBufferPointer { forest.probabilities($0) }
        let theirs = try rows.withUnsafeBufferPointer { try booster.probabilities($0, columns: model.features.count, classes: model.classes.count) }
        #expect(ours.count == theirs.count)
        let largest = zip(ours, theirs).map { abs($0 - $1) }.max() ?? 1
        #expect(largest <= 1e-6, "largest difference \(largest)")
        #expect(forest.depth <= 6 && forest.treeClass.count == 40 * model.classes.count)
    }
}
