import ArgumentParser
import SwathLabels

struct ReleaseListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "The project's releases, oldest first, as JSON.")

    @OptionGroup var database: DatabaseOption
    @Option(help: "Project id.") var project: Int64

    func run() async throws {
        let service = try await database.service()
        try printJSON(try await service.releases(projectId: project, for: .commandLine))
    }
}
