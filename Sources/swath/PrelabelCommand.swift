import ArgumentParser

struct PrelabelCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "prelabel",
        abstract: "Draft pre-labels from the imagery (saved as `model` pre-labels on open tasks no annotator has drawn in).",
        subcommands: [PrelabelBurnScarsCommand.self]
    )
}
