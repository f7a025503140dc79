import ArgumentParser
import Foundation
import SwathLabels
import SwathModel

struct ModelPredictCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "predict",
        abstract: "Apply a pixel classifier to a scene: a class-probability COG, per-task uncertainty, and model pre-labels.",
        discussion: """
            The scene must have the band layout the model was trained on, and its project the model's classes. Pre-labels go \
            to open tasks no annotator has drawn in, each with the model id and its mean confidence. Prints a JSON report.
            """
    )

    @OptionGroup var database: DatabaseOption
    @Option(help: "The model folder (written by `swath model train`).") var model: String
    @Option(help: "Scene id.") var scene: Int64
    @Option(help: "The class-probability COG to write (default: scene-<id>-probabilities.tif).") var out: String?
    @Flag(help: "Float32 probabilities (default: Byte, probability × 250, 255 no data, with the scale recorded).") var float = false
    @Option(name: .customLong("features-out"), help: "Also write the features the model read (Float32 GeoTIFF).") var featuresOut: String?
    @Option(name: .customLong("mmu-ha"), help: "Minimum mapping unit of the pre-labels, in hectares.") var mmuHa = 0.1
    @Flag(name: .customLong("no-prelabels"), help: "Write the probabilities and record uncertainty, but save no pre-labels.")
    var noPrelabels = false
    @Option(help: "Threads (default: every core).") var threads: Int?
    @OptionGroup var global: GlobalOptions

    func run() async throws {
        try global.apply()
        var options = PredictionOptions(probabilities: out ?? "scene-\(scene)-probabilities.tif")
        options.floatProbabilities = float
        options.features = featuresOut
        options.minimumMappingUnitHectares = mmuHa
        options.preLabels = !noPrelabels
        if let threads {
            guard (1...256).contains(threads) else { throw ValidationError("--threads must be 1…256, got \(threads)") }
            options.threads = threads
        }
        let service = try await database.service()
        try printJSON(try await PixelClassifierPredictor(service: service).predict(modelFolder: model, sceneId: scene, options: options,
                                                                                 by: .commandLine))
    }
}
