import ArgumentParser
import Foundation
import SwathGeo
import SwathLabels
import SwathMap
import SwathServer
import SwathTiling

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
    @Option(help: "Where overviews are built for scenes without them: a folder or s3://bucket/prefix/ (shared with swath serve).")
    var overviewDir = ServerOptions.defaultOverviewDirectory.path
    @Flag(help: "Do not build overviews (low zooms of the map will be slow).") var noOverviews = false

    func run() async throws {
        try ObjectStorage.configure()  // scenes may be s3:// objects
        // GDAL paths and S3 URIs are kept as given; a local path is made absolute.
        let isObject = try raster.hasPrefix("/vsi") || ObjectPrefix.parse(raster, option: "scene") != nil
        let absolute = isObject ? raster : URL(fileURLWithPath: raster).standardizedFileURL.path
        let registration = SceneRegistration(
            uri: absolute, acquiredAt: try acquiredAt.map(Self.parseDate), sensor: sensor,
            bandRoles: try bandRoles.map(Self.parseRoles), preEventSceneId: preEvent, tileSize: tileSize, overlap: overlap,
            priority: priority)
        let scene = try await database.service().registerScene(projectId: project, registration, by: .commandLine)
        if !noOverviews {
            try buildOverviews(absolute)
        }
        try printJSON(scene)
    }

    /// Map tiles at low zoom read overviews; a scene without them gets its own
    /// under --overview-dir, with progress on a terminal.
    private func buildOverviews(_ uri: String) throws {
        let bar = ProgressBar.forStandardError(unit: "% of overviews")
        let start = Date()
        do {
            let built = try SceneOverviews(location: overviewDir).build(for: uri) { fraction in
                bar?.update(TileProgress(completed: Int(fraction * 100), total: 100, elapsedSeconds: Date().timeIntervalSince(start)))
            }
            if built { bar?.finish() }
        } catch {
            throw LabelingError.invalid("the scene was registered, but building its overviews under \(overviewDir) failed: \(error)")
        }    }

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
