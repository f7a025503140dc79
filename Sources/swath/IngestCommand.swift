import ArgumentParser
import Foundation
import SwathLabels

struct IngestCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ingest",
        abstract: "Register a scene in a project and create its tasks."
    )

    @OptionGroup var database: DatabaseOption
    @Option(help: "Project id.") var project: Int64
    @Argument(help: "The scene: a path or GDAL URI.") var raster: String
    @Option(help: "Sensor name, e.g. sentinel-2a.") var sensor: String?
    @Option(help: "Acquisition time, ISO 8601 (2026-08-01T18:30:00Z).") var acquiredAt: String?
    @Option(help: "Band roles, e.g. red=3,green=2,blue=1,nir=4.") var bandRoles: String?
    @Option(help: "The pre-event scene of the same place (burn scars).") var preEvent: Int64?
    @Option(help: "Task tile size (default: the project's).") var tileSize: Int?
    @Option(help: "Task tile overlap (default: the project's).") var overlap: Int?
    @Option(help: "Queue priority of the scene's tasks (higher first).") var priority: Int?

    func run() async throws {
        let absolute = raster.hasPrefix("/vsi") ? raster : URL(fileURLWithPath: raster).standardizedFileURL.path
        let registration = SceneRegistration(
            uri: absolute, acquiredAt: try acquiredAt.map(Self.parseDate), sensor: sensor,
            bandRoles: try bandRoles.map(Self.parseRoles), preEventSceneId: preEvent, tileSize: tileSize, overlap: overlap,
            priority: priority)
        try printJSON(try await database.service().registerScene(projectId: project, registration, by: .commandLine))
    }

    static func parseDate(_ text: String) throws -> Date {
        guard let date = ISO8601DateFormatter().date(from: text) else {
            throw LabelingError.invalid("--acquired-at: '\(text)' is not an ISO 8601 time such as 2026-08-01T18:30:00Z")
        }
        return date
    }

    static func parseRoles(_ text: String) throws -> [String: Int] {
        var roles: [String: Int] = [:]
        for pair in text.split(separator: ",") {
            let parts = pair.split(separator: "=")
            guard parts.count == 2, let band = Int(parts[1]) else {
                throw LabelingError.invalid("--band-roles: '\(pair)' is not role=band (e.g. nir=4)")
            }
            roles[String(parts[0]).trimmingCharacters(in: .whitespaces)] = band
        }
        return roles
    }
}
