import ArgumentParser

struct ModelCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "model",
        abstract: "A pixel classifier (XGBoost) trained on a project's accepted labels, and its predictions as pre-labels.",
        subcommands: [ModelTrainCommand.self, ModelPredictCommand.self]
    )
}
