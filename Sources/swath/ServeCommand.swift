import ArgumentParser
import Foundation
import Hummingbird
import SwathGeo
import SwathLabels
import SwathServer

struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run the labeling service (HTTP API under /api/v1).",
        discussion: "SWATH_ADMIN_TOKEN, when set, makes sure an admin with that token exists at start-up."
    )

    @OptionGroup var database: DatabaseOption

    @Option(help: "Address to listen on.")
    var host = "127.0.0.1"

    @Option(help: "Port to listen on (0 picks a free one).")
    var port = 8080

    @Option(name: .customLong("scene-source"),
            help: "A path or GDAL URI prefix managers may register scenes from over HTTP (repeatable). Default: local files only.")
    var sceneSources: [String] = []

    @OptionGroup var global: GlobalOptions

    func run() async throws {
        global.apply()
        let service = LabelingService(store: try SQLiteStore(path: database.db),
                                      sceneSources: SceneSourcePolicy(allowedPrefixes: sceneSources))
        if let token = ProcessInfo.processInfo.environment["SWATH_ADMIN_TOKEN"], !token.isEmpty {
            _ = try await service.ensureAdmin(token: token)
        }
        let host = self.host
        let app = buildApplication(service: service, configuration: ServerConfiguration(host: host, port: port)) { port in
            // One line scripts and tests can wait for.
            let line = "swath: listening on http://\(host):\(port) (database \(database.db))\n"
            FileHandle.standardOutput.write(Data(line.utf8))
        }
        try await app.runService()
    }
}
