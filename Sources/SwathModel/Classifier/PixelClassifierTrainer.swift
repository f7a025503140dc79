import Foundation
import SwathExport
import SwathGeo
import SwathLabels

/// Trains a pixel classifier (XGBoost, multi-class soft probabilities) on a project's accepted
/// labels: per class at most `samplesPerClass` labelled pixels (unlabelled ground inside accepted
/// tasks is the background class), weighted so every class counts alike; accuracy measured by
/// spatial-block cross-validation before the final model is trained on every sample. Managers only.
public struct PixelClassifierTrainer: Sendable {
    public let service: LabelingService
    static let stripRows = 256

    public init(service: LabelingService) {
        self.service = service
    }

    /// Trains and writes the model folder `output` (which must not exist: models are never replaced).
    public func train(projectId: ProjectID, options: TrainingOptions, output: String, by caller: User) async throws -> ClassifierModel {
        try await service.authorize(caller, project: projectId, .manager, to: "training a pixel classifier")
        try options.validate()
        let destination = try Self.checkOutput(output)
        let source = try await service.exportSource(projectId: projectId, statuses: [.accepted], by: caller)
        guard source.labels.count >= options.minimumLabels else {
            throw ModelError("too few labels to train: project \(source.project.codename) has \(source.labels.count) accepted "
                             + "label\(source.labels.count == 1 ? "" : "s"), at least \(options.minimumLabels) needed")
        }
        let sceneIds = Set(source.tasks.map(\.sceneId))
        let scenes = source.scenes.filter { sceneIds.contains($0.id) }.sorted { $0.id < $1.id }
        let layout = try Self.layout(of: scenes, options: options)
        let model = try await BlockingWork.run {
            try Self.train(source: source, scenes: scenes, layout: layout, options: options)
        }
        try Self.write(model.metadata, booster: model.booster, to: destination)
        return model.metadata
    }

    static func checkOutput(_ output: String) throws -> URL {
        guard !output.isEmpty, !output.contains("://") else { throw ModelError("--out \(output): give a local folder for the model") }
        let url = URL(fileURLWithPath: output)
        guard !FileManager.default.fileExists(atPath: url.path) else {
            throw ModelError("--out \(output) exists: models are never replaced, name a new folder")
        }
        var isFolder: ObjCBool = false
        let parent = url.deletingLastPathComponent()
        guard FileManager.default.fileExists(atPath: parent.path, isDirectory: &isFolder), isFolder.boolValue else {
            throw ModelError("--out \(output): the folder \(parent.path) does not exist")
        }
        return url
    }

    /// Every training scene must share one band layout: the model reads band numbers.
    static func layout(of scenes: [Scene], options: TrainingOptions) throws -> FeatureLayout {
        guard let first = scenes.first else { throw ModelError("too few labels to train: no task of the project is accepted") }
        let bands = BandLayout(first)
        if let other = scenes.first(where: { BandLayout($0) != bands }) {
            throw ModelError("scenes \(first.id) and \(other.id) differ in band layout (\(bands) vs \(BandLayout(other))): "
                             + "a model reads one layout")
        }
        return FeatureLayout(bands: bands, scale: options.scale, offset: options.offset)
    }

    struct Trained {
        var metadata: ClassifierModel
        var booster: [UInt8]
    }

    static func train(source: ExportSource, scenes: [Scene], layout: FeatureLayout, options: TrainingOptions) throws -> Trained {
        let classIds = Array(Set(source.labels.map(\.classId))).sorted()
        var grids: [LabelGrid] = []
        var counts = [Int](repeating: 0, count: classIds.count + 1)
        for scene in scenes {
            let grid = try LabelGrid(scene: scene, tasks: source.tasks.filter { $0.sceneId == scene.id },
                                     labels: source.labels.filter { $0.sceneId == scene.id }, classIds: classIds)
            for (index, count) in grid.counts(classCount: classIds.count).enumerated() { counts[index] += count }
            grids.append(grid)
        }
        let names = Dictionary(uniqueKeysWithValues: source.project.taxonomy.classes.map { ($0.id, $0.name) })
        // Grid value → model class; classes with too few pixels are left out (their pixels unused).
        var classes: [ModelClass] = [], gridToModel = [Int32](repeating: -1, count: classIds.count + 1), leftOut: [String] = []
        for (value, count) in counts.enumerated() {
            let classId = value == 0 ? ModelClass.backgroundId : classIds[value - 1]
            let name = value == 0 ? "background" : names[classId] ?? "class \(classId)"
            if count >= options.minimumClassPixels {
                gridToModel[value] = Int32(classes.count)
                classes.append(ModelClass(index: classes.count, classId: classId, name: name))
            } else if value > 0 || count > 0 {
                leftOut.append("\(name) (\(count) pixels)")
            }
        }
        // Class grids are bytes: model class + 1, 0 for no data.
        guard classes.count <= ClassifierModel.maximumClasses else {
            throw ModelError("the accepted labels have \(classes.count) classes; a model learns at most \(ClassifierModel.maximumClasses)")
        }
        guard classes.count >= 2 else {
            throw ModelError("too few labels to train: \(classes.count) class\(classes.count == 1 ? " has" : "es have") at least "
                             + "\(options.minimumClassPixels) labelled pixels, 2 needed")
        }
        var modelCounts = [Int](repeating: 0, count: classes.count)
        for (value, model) in gridToModel.enumerated() where model >= 0 { modelCounts[Int(model)] += counts[value] }
        let labelledTotal = modelCounts.reduce(0, +)
        let trainShare = modelCounts.map { min(1, Double(options.samplesPerClass) / Double($0)) }
        let validationShare = min(1, Double(options.validationPixels) / Double(labelledTotal))

        var training = TrainingSample(), validation = TrainingSample()
        for (scene, grid) in zip(scenes, grids) {
            let drawn = try draw(scene: scene, grid: grid, gridToModel: gridToModel, trainShare: trainShare,
                                 validationShare: validationShare, layout: layout, options: options)
            training.append(drawn.training)
            validation.append(drawn.validation)
        }
        let featureCount = layout.count
        let parameters = options.parameters(classes: classes.count)
        var confusion = ConfusionMatrix(classCount: classes.count)
        var heldOut = 0
        for fold in 0..<Int32(options.folds) {
            let train = training.filter(featureCount: featureCount) { $0 != fold }
            let test = validation.filter(featureCount: featureCount) { $0 == fold }
            guard test.count > 0, Set(train.classIndex).count >= 2 else { continue }
            let booster = try fit(train, classes: classes.count, featureCount: featureCount, parameters: parameters, rounds: options.rounds,
                                  threads: options.threads)
            let probabilities = try test.features.withUnsafeBufferPointer {
                try booster.probabilities($0, columns: featureCount, classes: classes.count)
            }
            for row in 0..<test.count {
                confusion.add(reference: Int(test.classIndex[row]), predicted: argmax(probabilities, row: row, classes: classes.count))
            }
            heldOut += test.count
        }
        guard heldOut > 0 else {
            throw ModelError("too few labels to validate: the labelled pixels lie in fewer than 2 of the \(options.folds) folds of "
                             + "\(options.blockPixels)-pixel blocks; label more of the scene or use --block-pixels smaller")
        }
        let booster = try fit(training, classes: classes.count, featureCount: featureCount, parameters: parameters, rounds: options.rounds,
                              threads: options.threads)
        let json = try booster.json()
        let validationReport = ValidationReport(folds: options.folds, blockPixels: options.blockPixels, heldOutPixels: heldOut,
                                                overallAccuracy: confusion.overallAccuracy,
                                                classes: classes.map { confusion.metrics(of: $0.index, as: $0) }, classesLeftOut: leftOut)
        var samples: [String: Int] = [:]
        for index in training.classIndex { samples[String(classes[Int(index)].classId), default: 0] += 1 }
        let metadata = ClassifierModel(id: ClassifierModel.id(ofBooster: json), createdAt: Date(), project: source.project.codename, features: layout,
                                       featureNames: layout.names, classes: classes, samples: samples,
                                       parameters: Dictionary(parameters.filter { $0.0 != "nthread" }, uniquingKeysWith: { $1 }),
                                       rounds: options.rounds, validation: validationReport)
        return Trained(metadata: metadata, booster: json)
    }

    /// The scene's drawn pixels with their features: each labelled pixel is a training sample with
    /// its class's share, and (independently) a validation sample with the validation share; its
    /// fold is its block's.
    static func draw(scene: Scene, grid: LabelGrid, gridToModel: [Int32], trainShare: [Double], validationShare: Double,
                     layout: FeatureLayout, options: TrainingOptions) throws -> (training: TrainingSample, validation: TrainingSample) {
        let width = grid.size.width, featureCount = layout.count
        let parts = try StripWork.run(height: grid.size.height, stripRows: stripRows, threads: options.threads,
                                      state: { try FeatureReader(path: scene.uri, layout: layout) }) { reader, rows in
            // First the draw (hashes only), then the features of the drawn pixels alone.
            var selection: [Int] = [], picks: [(model: Int32, fold: Int32, trains: Bool, validates: Bool)] = []
            for row in rows {
                for col in 0..<width {
                    let value = grid.values[row * width + col]
                    guard value != LabelGrid.unlabelled, case let model = gridToModel[Int(value)], model >= 0 else { continue }
                    let pixel = UInt64(row * width + col)
                    let trains = SeededDraw.unit(options.seed, UInt64(scene.id), pixel, 1) < trainShare[Int(model)]
                    let validates = SeededDraw.unit(options.seed, UInt64(scene.id), pixel, 2) < validationShare
                    guard trains || validates else { continue }
                    let fold = Int32(SeededDraw.mix(options.seed ^ UInt64(scene.id) &* 31 ^ UInt64(row / options.blockPixels) << 32
                                                    ^ UInt64(col / options.blockPixels)) % UInt64(options.folds))
                    selection.append((row - rows.lowerBound) * width + col)
                    picks.append((model, fold, trains, validates))
                }
            }
            var training = TrainingSample(), validation = TrainingSample()
            guard !selection.isEmpty else { return Drawn(training: training, validation: validation) }
            let strip = try reader.strip(rows, selection: selection)
            for (index, pick) in picks.enumerated() where strip.valid[index] {
                let features = strip.values[(index * featureCount)..<((index + 1) * featureCount)]
                if pick.trains {
                    training.features += features
                    training.classIndex.append(pick.model)
                    training.fold.append(pick.fold)
                }
                if pick.validates {
                    validation.features += features
                    validation.classIndex.append(pick.model)
                    validation.fold.append(pick.fold)
                }
            }
            return Drawn(training: training, validation: validation)
        }
        var training = TrainingSample(), validation = TrainingSample()
        for part in parts {
            training.append(part.training)
            validation.append(part.validation)
        }
        return (training, validation)
    }

    struct Drawn: @unchecked Sendable {
        var training: TrainingSample
        var validation: TrainingSample
    }

    /// A booster fitted to the samples, each class weighted to count alike.
    static func fit(_ sample: TrainingSample, classes: Int, featureCount: Int, parameters: [(String, String)], rounds: Int,
                    threads: Int) throws -> XGBoostBooster {
        var perClass = [Int](repeating: 0, count: classes)
        for index in sample.classIndex { perClass[Int(index)] += 1 }
        let present = perClass.filter { $0 > 0 }.count
        let weights = sample.classIndex.map { Float(Double(sample.count) / Double(present * perClass[Int($0)])) }
        let matrix = try XGBoostMatrix(values: sample.features, columns: featureCount, threads: threads)
        try matrix.set("label", sample.classIndex.map(Float.init))
        try matrix.set("weight", weights)
        let booster = try XGBoostBooster(training: matrix, parameters: parameters)
        try booster.train(on: matrix, rounds: rounds)
        return booster
    }

    static func argmax(_ probabilities: [Float], row: Int, classes: Int) -> Int {
        var best = 0
        for index in 1..<classes where probabilities[row * classes + index] > probabilities[row * classes + best] { best = index }
        return best
    }

    /// Both files into a fresh folder beside `destination`, renamed into place whole.
    static func write(_ metadata: ClassifierModel, booster: [UInt8], to destination: URL) throws {
        let staging = destination.deletingLastPathComponent().appendingPathComponent(".\(destination.lastPathComponent).partial-\(UUID().uuidString)")
        do {
            try FileManager.default.createDirectory(at: staging, withIntermediateDirectories: false)
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            encoder.dateEncodingStrategy = .iso8601
            try Data(booster).write(to: staging.appendingPathComponent(ClassifierModel.boosterFile))
            try encoder.encode(metadata).write(to: staging.appendingPathComponent(ClassifierModel.metadataFile))
            try FileManager.default.moveItem(at: staging, to: destination)
        } catch {
            try? FileManager.default.removeItem(at: staging)
            throw ModelError("could not write the model to \(destination.path): \(error.localizedDescription)")
        }
    }
}
