import ArgumentParser
import Foundation
import SwathLabels
import SwathModel

struct ModelTrainCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Train a pixel classifier on the project's accepted labels; writes a model folder and prints its validation report.",
        discussion: """
            Features: each band's reflectance, the spectral indices its band roles allow, each band's 5 × 5 mean and standard \
            deviation. Unlabelled ground inside accepted tasks is the background class. Accuracy is measured by spatial-block \
            cross-validation (pixels of held-out blocks only). The folder holds model.json and booster.json (XGBoost's own).
            """
    )

    @OptionGroup var database: DatabaseOption
    @Option(help: "Project id.") var project: Int64
    @Option(help: "The model folder to write (must not exist).") var out: String
    @Option(help: "Boosting rounds.") var rounds = 40
    @Option(name: .customLong("max-depth"), help: "Depth of each tree.") var maxDepth = 6
    @Option(name: .customLong("samples-per-class"), help: "Training pixels drawn per class at most.") var samplesPerClass = 20_000
    @Option(help: "Cross-validation folds.") var folds = 5
    @Option(name: .customLong("block-pixels"), help: "Side of a cross-validation block, in pixels.") var blockPixels = 256
    @Option(help: "Reflectance = DN × scale + offset.") var scale = 1.0
    @Option(help: "The reflectance offset (a negative one as --offset=-0.1).") var offset = 0.0
    @Option(help: "Seed of the sample draw.") var seed: UInt64 = 1
    @Option(help: "Threads (default: every core).") var threads: Int?
    @OptionGroup var global: GlobalOptions

    func run() async throws {
        try global.apply()
        var options = TrainingOptions()
        options.rounds = rounds
        options.maxDepth = maxDepth
        options.samplesPerClass = samplesPerClass
        options.folds = folds
        options.blockPixels = blockPixels
        options.scale = scale
        options.offset = offset
        options.seed = seed
        if let threads {
            guard (1...256).contains(threads) else { throw ValidationError("--threads must be 1…256, got \(threads)") }
            options.threads = threads
        }
        let service = try await database.service()
        try printJSON(try await PixelClassifierTrainer(service: service).train(projectId: project, options: options, output: out, by: .commandLine))
    }
}
