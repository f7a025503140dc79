import Foundation
import SwathGeo
import SwathLabels
import SwathModel

/// The labeling model inside a simulation: each time `retrainShare` of the tasks has been accepted
/// since the last training, the pixel classifier is trained on the accepted work and applied to
/// the scene, which records every task's uncertainty (what an active-learning queue serves by).
/// The first model also drafts pre-labels on the open tasks; later ones only re-rank the queue,
/// since pre-labels already offered are not replaced.
struct ModelLoop {
    let directory: String
    let every: Int
    let threads: Int
    private var lastTrainedAt = 0
    private(set) var checkpoints: [ModelCheckpoint] = []

    init(directory: String, options: SimulationOptions) {
        self.directory = directory
        every = max(1, Int((options.retrainShare * Double(options.tasks)).rounded()))
        threads = options.modelThreads
    }

    mutating func step(_ world: SimulationWorld, scene: SimulatedScene) async throws {
        let tasks = try await world.service.store.tasks(sceneId: world.sceneId)
        let accepted = tasks.filter { $0.status == .accepted }.count
        guard accepted - lastTrainedAt >= every, tasks.contains(where: { $0.status == .open }) else { return }
        lastTrainedAt = accepted
        let folder = directory + "/model-\(checkpoints.count + 1)"
        var training = TrainingOptions()
        training.blockPixels = 128
        training.threads = threads
        let model: ClassifierModel
        do {
            model = try await PixelClassifierTrainer(service: world.service).train(projectId: world.projectId, options: training, output: folder,
                                                                                   by: world.manager)
        } catch let error as ModelError where error.description.hasPrefix("too few labels") {
            return
        }
        var prediction = PredictionOptions(probabilities: folder + "/probabilities.tif")
        prediction.preLabels = checkpoints.isEmpty
        prediction.threads = threads
        let report = try await PixelClassifierPredictor(service: world.service).predict(modelFolder: folder, sceneId: world.sceneId,
                                                                                         options: prediction, by: world.manager)
        checkpoints.append(ModelCheckpoint(acceptedTasks: accepted, crossValidatedAccuracy: model.validation.overallAccuracy,
                                           truthAccuracy: try Self.truthAccuracy(folder + "/probabilities.tif", model: model, scene: scene),
                                           preLabelsSaved: report.preLabels?.labelsCreated ?? 0))
    }

    /// Share of the scene's pixels whose most probable class is the painted truth.
    static func truthAccuracy(_ path: String, model: ClassifierModel, scene: SimulatedScene) throws -> Double {
        let raster = try Raster.open(path)
        let planes = try raster.read(raster.bounds, as: UInt8.self)
        let count = raster.width * raster.height, classes = model.classes.count
        var correct = 0
        for row in 0..<raster.height {
            for col in 0..<raster.width {
                let pixel = row * raster.width + col
                var best = 0
                for index in 1..<classes where planes[index * count + pixel] > planes[best * count + pixel] { best = index }
                if model.classes[best].classId == scene.truthClass(col: col, row: row) { correct += 1 }
            }
        }
        return Double(correct) / Double(count)
    }
}
