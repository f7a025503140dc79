import ArgumentParser
import Foundation
import SwathLabels

struct ImportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Attach existing vectors (any format OGR reads, any CRS) to a scene's tasks as pre-labels.",
        discussion: "Prints a report of accepted and refused features. Exit status 0 when every feature was accepted, "
            + "3 when some were refused, 1 on error."
    )

    @OptionGroup var database: DatabaseOption
    @Option(help: "Scene id.") var scene: Int64
    @Argument(help: "The vector file (GeoJSON, GeoPackage, Shapefile, FlatGeobuf…).") var file: String
    @Option(help: "Layer name (default: the first).") var layer: String?
    @Option(help: "Field naming each feature's class (by id or name).") var classField: String?
    @Option(name: .customLong("class"), help: "One class for every feature.") var fixedClass: String?
    @Option(help: "imported or model.") var source = "imported"

    func run() async throws {
        guard let source = LabelSource(rawValue: source), source.isPreLabel else {
            throw LabelingError.invalid("--source must be imported or model, got '\(source)'")
        }
        let options = ImportOptions(layer: layer, classField: classField, fixedClass: fixedClass, source: source)
        let report = try await database.service().importLabels(sceneId: scene, path: file, options: options, by: .commandLine)
        try printJSON(report)
        if !report.rejected.isEmpty { throw ExitCode(3) }
    }
}
