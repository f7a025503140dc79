import ArgumentParser
import Foundation
import SwathExport
import SwathLabels

struct ReleaseDiffCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "diff",
        abstract: "What changed from release A to release B: labels added, removed and changed (IoU, class), per class and split; chips.",
        discussion: "Labels are matched by lineage: an edit keeps its label's lineage, so a moved outline is a change, not a removal and an addition."
    )

    @OptionGroup var database: DatabaseOption
    @Argument(help: "The earlier release's id.") var from: Int64
    @Argument(help: "The later release's id.") var to: Int64
    @Flag(help: "Print JSON instead of a table.") var json = false

    func run() async throws {
        let service = try await database.service()
        let diff = try await ReleaseComparison(service: service).diff(from, to, by: .commandLine)
        if json { try printJSON(diff) } else { print(diff.table) }
    }
}
