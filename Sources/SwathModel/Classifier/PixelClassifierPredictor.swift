import Foundation
import SwathGeo
import SwathLabels

/// Applies a trained pixel classifier to a scene: a class-probability COG, the uncertainty of each
/// task (mean normalized entropy) recorded for the queue, and the most probable classes drafted as
/// `model` pre-labels (minimum mapping unit, GDAL's polygonize 8-connected, simplified by half a
/// pixel) on open tasks no annotator has drawn in, each with the model id and its mean confidence.
/// Managers only.
public struct PixelClassifierPredictor: Sendable {
    public let service: LabelingService
    static let stripRows = 256

    public init(service: LabelingService) {
        self.service = service
    }

    public func predict(modelFolder: String, sceneId: SceneID, options: PredictionOptions, by caller: User) async throws -> PredictionReport {
        let (scene, project, tasks) = try await service.managedScene(sceneId, by: caller, to: "predicting with a pixel classifier")
        try options.validate()
        let (model, booster) = try ClassifierModel.load(folder: modelFolder)
        try model.checkApplies(to: scene, taxonomy: project.taxonomy)
        let targets = options.preLabels ? try await service.tasksOpenToModelPreLabels(sceneId: sceneId, by: caller) : []
        let result = try await BlockingWork.run {
            try Self.classify(scene: scene, model: model, booster: booster, tasks: tasks, targets: targets, options: options)
        }
        var saved: ImportReport?
        if options.preLabels {
            saved = try await service.addModelPreLabels(sceneId: sceneId, result.shapes, by: caller)
            saved?.layer = model.id
        }
        let scored = try await service.recordUncertainty(sceneId: sceneId, result.uncertainty, model: model.id, by: caller)
        let meanUncertainty = result.uncertainty.isEmpty ? 0 : result.uncertainty.values.reduce(0, +) / Double(result.uncertainty.count)
        return PredictionReport(model: model.id, sceneId: sceneId, probabilities: options.probabilities, pixelsPredicted: result.pixels,
                                pixelsPerClass: result.pixelsPerClass, meanConfidence: result.meanConfidence, tasksScored: scored,
                                meanUncertainty: meanUncertainty, regions: result.shapes.count, preLabels: saved)
    }

    struct Classified: Sendable {
        var pixels: Int
        var pixelsPerClass: [String: Int]
        var meanConfidence: Double
        var uncertainty: [TaskID: Double]
        var shapes: [PreLabelShape]
    }

    static func classify(scene: Scene, model: ClassifierModel, booster json: [UInt8], tasks: [LabelTask], targets: [LabelTask],
                         options: PredictionOptions) throws -> Classified {
        let size = Size(width: scene.width, height: scene.height), layout = model.features
        let output = try PredictionOutput(probabilities: options.probabilities, features: options.features, scene: scene, model: model,
                                          floatProbabilities: options.floatProbabilities)
        do {
            let canvas = PredictionCanvas(size: size, classCount: model.classes.count, floatProbabilities: options.floatProbabilities,
                                          probabilities: output.probabilities, features: output.features)
            // The trees compiled for speed when they fit (XGBoost's own predictor otherwise). Each thread
            // computes features and predicts its own strips (one XGBoost thread each: no oversubscription).
            let forest = try CompiledForest(json: json, featureCount: layout.count, classCount: model.classes.count)
            _ = try StripWork.run(height: size.height, stripRows: stripRows, threads: options.threads, state: {
                (reader: try FeatureReader(path: scene.uri, layout: layout),
                 booster: forest == nil ? try XGBoostBooster(json: json, threads: 1) : nil)
            }) { state, rows in
                let strip = try state.reader.strip(rows)
                let valid = compactValid(strip, featureCount: layout.count)
                let probabilities = try valid.withUnsafeBufferPointer { rows in
                    if let forest { return forest.probabilities(rows) }
                    guard let booster = state.booster else { throw ModelError("no predictor for model \(model.id)") }
                    return try booster.probabilities(rows, columns: layout.count, classes: model.classes.count)
                }
                try canvas.record(strip, probabilities: probabilities, featureCount: layout.count)
                return true
            }
            try canvas.close()
            try output.finish()
            return try summarize(canvas, scene: scene, model: model, tasks: tasks, targets: targets, options: options)
        } catch {
            output.discard()
            throw error
        }
    }

    /// The features of the strip's valid pixels only, in order.
    static func compactValid(_ strip: FeatureStrip, featureCount: Int) -> [Float] {
        let validCount = strip.valid.reduce(0) { $0 + ($1 ? 1 : 0) }
        if validCount == strip.valid.count { return strip.values }
        var values = [Float](repeating: 0, count: validCount * featureCount)
        values.withUnsafeMutableBufferPointer { target in
            strip.values.withUnsafeBufferPointer { source in
                guard let to = target.baseAddress, let from = source.baseAddress else { return }
                var next = 0
                for pixel in strip.valid.indices where strip.valid[pixel] {
                    to.advanced(by: next * featureCount).update(from: from.advanced(by: pixel * featureCount), count: featureCount)
                    next += 1
                }
            }
        }
        return values
    }

    static func summarize(_ canvas: PredictionCanvas, scene: Scene, model: ClassifierModel, tasks: [LabelTask], targets: [LabelTask],
                          options: PredictionOptions) throws -> Classified {
        var perClass = [Int](repeating: 0, count: model.classes.count + 1)
        var confidenceSum = 0
        for (index, value) in canvas.classes.enumerated() where value > 0 {
            perClass[Int(value)] += 1
            confidenceSum += Int(canvas.confidence[index])
        }
        let pixels = perClass.dropFirst().reduce(0, +)
        var pixelsPerClass: [String: Int] = [:]
        for modelClass in model.classes { pixelsPerClass[String(modelClass.classId)] = perClass[modelClass.index + 1] }
        return Classified(pixels: pixels, pixelsPerClass: pixelsPerClass,
                          meanConfidence: pixels > 0 ? Double(confidenceSum) / Double(pixels) / Double(PredictionCanvas.byteScale) : 0,
                          uncertainty: taskUncertainty(canvas, tasks: tasks),
                          shapes: options.preLabels ? try regions(canvas, scene: scene, model: model, targets: targets, options: options) : [])
    }

    /// Mean normalized entropy of each task's pixels with data.
    static func taskUncertainty(_ canvas: PredictionCanvas, tasks: [LabelTask]) -> [TaskID: Double] {
        var values: [TaskID: Double] = [:]
        let bounds = Window(col: 0, row: 0, width: canvas.size.width, height: canvas.size.height)
        for task in tasks {
            guard let window = task.window.intersection(bounds) else { continue }
            var sum = 0, count = 0
            for row in window.row..<(window.row + window.height) {
                for index in (row * canvas.size.width + window.col)..<(row * canvas.size.width + window.col + window.width)
                where canvas.entropy[index] != PredictionCanvas.byteNoData {
                    sum += Int(canvas.entropy[index])
                    count += 1
                }
            }
            if count > 0 { values[task.id] = Double(sum) / Double(count) / Double(PredictionCanvas.byteScale) }
        }
        return values
    }

    /// The most probable classes as polygons on the target tasks: regions under the minimum mapping
    /// unit merged into their surroundings (GDAL's sieve), the background class and ground outside
    /// the targets dropped, then GDAL's polygonize (8-connected) and half a pixel of simplification.
    static func regions(_ canvas: PredictionCanvas, scene: Scene, model: ClassifierModel, targets: [LabelTask],
                        options: PredictionOptions) throws -> [PreLabelShape] {
        guard !targets.isEmpty else { return [] }
        let size = canvas.size, transform = scene.transform
        let grid = try Raster.inMemory(size: size, bandCount: 1, dataType: .byte)
        try grid.setGeoTransform(transform)
        try grid.write(canvas.classes, window: grid.bounds)
        try grid.sieve(smallerThan: try BurnScarPrelabeler.pixels(hectares: options.minimumMappingUnitHectares, transform: transform,
                                                                 crs: scene.crs))
        var sieved = try grid.read(grid.bounds, as: UInt8.self)
        var inTarget = [Bool](repeating: false, count: sieved.count)
        for task in targets {
            guard let window = task.window.intersection(grid.bounds) else { continue }
            for row in window.row..<(window.row + window.height) {
                for index in (row * size.width + window.col)..<(row * size.width + window.col + window.width) { inTarget[index] = true }
            }
        }
        let background = model.classes.first(where: \.isBackground).map { UInt8($0.index + 1) }
        for index in sieved.indices where !inTarget[index] || sieved[index] == background { sieved[index] = 0 }
        try grid.write(sieved, window: grid.bounds)
        var shapes: [PreLabelShape] = []
        for region in try DraftedRegion.draft(grid, transform: transform, keep: { (1...model.classes.count).contains($0) }) {
            let modelClass = model.classes[region.value - 1]
            // Mean probability of the region's class over its pixels that were that class before the sieve.
            let confidence = region.mean(size: size, transform: transform) { index in
                sieved[index] == region.value && canvas.classes[index] == region.value ? Double(canvas.confidence[index]) : nil
            } / Double(PredictionCanvas.byteScale)
            shapes.append(PreLabelShape(fid: Int64(shapes.count + 1), classId: modelClass.classId, shape: region.outline,
                                        attributes: ["model": .string(model.id), "meanConfidence": .number((confidence * 1000).rounded() / 1000)]))
        }
        return shapes
    }
}
