import ArgumentParser

struct ReleaseCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "release",
        abstract: "Immutable datasets: freeze a project's accepted labels, export them byte-identically, compare two.",
        subcommands: [ReleaseCreateCommand.self, ReleaseListCommand.self, ReleaseExportCommand.self, ReleaseDiffCommand.self]
    )
}
