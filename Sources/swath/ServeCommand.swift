import ArgumentParser
import Logging
import ServiceLifecycle
import SwathExport
import SwathJobs
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

    @Option(help: "Serve the workbench page from this directory instead of the copy built in (for developing it).")
    var webDir: String?

    @Option(help: "Where Debian's libjs-leaflet put Leaflet.")
    var leafletDir = ServerOptions.defaultLeafletDirectory.path

    @Option(help: "Overviews built for scenes without them: a folder, or s3://bucket/prefix/ shared by servers on several machines (as swath ingest --overview-dir).")
    var overviewDir = ServerOptions.defaultOverviewDirectory.path

    @Option(help: "Memory for rendered map tiles, in MiB.")
    var tileCacheMb = 512

    @Option(help: ArgumentHelp("Rendered training chips: a folder, or s3://bucket/prefix/ shared by servers on several machines "
                               + "(each then keeps its copies in --chip-cache-local; needs SWATH_EXPORT_KEY, the same on every server)."))
    var chipCache = ServeCommand.defaultChipCache

    @Option(help: "This server's copies of shared chips, when --chip-cache is an S3 prefix.")
    var chipCacheLocal = ServeCommand.defaultChipCache

    @Option(help: "Disk for rendered training chips, in MiB; older project versions are removed past it.")
    var chipCacheMb = ServerOptions.defaultChipCacheBytes >> 20

    @Option(help: ArgumentHelp("Where exports asked for over HTTP go: a folder or s3://bucket/prefix/. On SQLite the server "
                               + "runs them itself; on PostgreSQL `swath worker` processes do, unless --run-jobs."))
    var exportDir = ServeCommand.defaultExportDirectory
    @Flag(help: "Run queued jobs in this server too (always on SQLite).") var runJobs = false

    static let defaultExportDirectory = "tiles/.exports"
    static let defaultChipCache = "tiles/.chips"

    @OptionGroup var global: GlobalOptions

    func validate() throws {
        guard tileCacheMb >= 0 else { throw ValidationError("--tile-cache-mb must be 0 or more, got \(tileCacheMb)") }
        guard (1...(1 << 24)).contains(chipCacheMb) else { throw ValidationError("--chip-cache-mb must be 1 to 16777216, got \(chipCacheMb)") }
        if let secret = ProcessInfo.processInfo.environment["SWATH_TILE_ETAG_SECRET"], !secret.isEmpty, secret.utf8.count < 16 {
            throw ValidationError("SWATH_TILE_ETAG_SECRET must be at least 16 bytes")
        }
        if try ObjectPrefix.parse(chipCache, option: "--chip-cache") != nil, chipPseudonymSecret == nil {
            throw ValidationError("--chip-cache \(chipCache) is shared by servers, so annotators' pseudonyms in it must agree: "
                                  + "set \(ExportOptions.pseudonymSecretVariable) (a secret of 32 characters or more, the same on every server)")
        }
        if let secret = chipPseudonymSecret, secret.count < 32 {
            throw ValidationError("\(ExportOptions.pseudonymSecretVariable) must be a secret of 32 characters or more")
        }
        if let webDir, !FileManager.default.fileExists(atPath: webDir + "/index.html") {
            throw ValidationError("--web-dir \(webDir) has no index.html")
        }
    }

    /// `SWATH_EXPORT_KEY` (never shown): pseudonyms in chips agree across servers and restarts.
    var chipPseudonymSecret: String? {
        ProcessInfo.processInfo.environment[ExportOptions.pseudonymSecretVariable].flatMap { $0.isEmpty ? nil : $0 }
    }

    func run() async throws {
        try global.apply()
        // GDAL's default block cache is 5% of RAM; map tiles need blocks of the
        // scenes being looked at, not the machine's memory.
        GDALRuntime.setCacheLimit(bytes: 512 << 20)
        // Servers behind one load balancer share SWATH_TILE_ETAG_SECRET so a tile's ETag is the same from each.
        let etagSecret = ProcessInfo.processInfo.environment["SWATH_TILE_ETAG_SECRET"].flatMap { $0.isEmpty ? nil : Array($0.utf8) }
        let overviewPrefix = try ObjectPrefix.parse(overviewDir, option: "--overview-dir")
        var options = ServerOptions(chipCacheBytes: chipCacheMb << 20, overviewDirectory: URL(fileURLWithPath: overviewDir),
                                    webDirectory: webDir.map { URL(fileURLWithPath: $0) }, leafletDirectory: URL(fileURLWithPath: leafletDir),
                                    tileCacheBytes: tileCacheMb << 20, tileETagSecret: etagSecret)
        options.overviewPrefix = overviewPrefix
        options.chipCachePrefix = try ObjectPrefix.parse(chipCache, option: "--chip-cache")
        options.chipCache = URL(fileURLWithPath: options.chipCachePrefix == nil ? chipCache : chipCacheLocal)
        options.chipPseudonymSecret = chipPseudonymSecret
        // A missing bucket or refused credentials are the operator's to fix now, not a warning a minute later.
        try options.chipCachePrefix?.checkReachable()
        let location = try database.location
        let localExports = try ObjectPrefix.parse(exportDir, option: "--export-dir") == nil ? [exportDir] : []
        let localOverviews = overviewPrefix == nil ? [overviewDir] : []
        let ownFiles = ((database.sqlitePath.map { [$0] } ?? []) + localOverviews + [options.chipCache.path] + (webDir.map { [$0] } ?? [])
                        + localExports)
            .map { URL(fileURLWithPath: $0).standardizedFileURL.path }
        let service = LabelingService(store: try await location.open(),
                                      sceneSources: SceneSourcePolicy(allowedPrefixes: sceneSources, protectedPaths: ownFiles))
        if let token = ProcessInfo.processInfo.environment["SWATH_ADMIN_TOKEN"], !token.isEmpty {
            do {
                _ = try await service.ensureAdmin(token: token)
            } catch LabelingError.conflict(let reason) {
                // A revoked or misassigned bootstrap token must not keep the service down; it just is not honoured.
                FileHandle.standardError.write(Data("swath: warning: \(reason)\n".utf8))
            }
        }
        // A consensus task whose k-th submission landed just before a stop gets its consensus now.
        _ = try await service.completePendingConsensus()
        // Submissions whose checks a stop or an error interrupted: recorded now, and retried while serving.
        _ = try await service.finishPendingSubmissions()
        let retries = Task {
            while !Task.isCancelled {
                try? await Task.sleep(for: .seconds(30))
                if Task.isCancelled { break }  // shutting down: not a failure to report
                do { _ = try await service.finishPendingSubmissions() } catch {
                    FileHandle.standardError.write(Data("swath: queued submission checks failed again: \(error)\n".utf8))
                }
            }
        }
        defer { retries.cancel() }
        if !FileManager.default.fileExists(atPath: leafletDir + "/leaflet.js") {
            let warning = "swath: warning: no Leaflet at \(leafletDir) (apt-get install libjs-leaflet, or --leaflet-dir): the workbench map will not load\n"
            FileHandle.standardError.write(Data(warning.utf8))
        }
        let host = self.host
        let app = buildApplication(service: service, configuration: ServerConfiguration(host: host, port: port), options: options) { port in
            // One line scripts and tests can wait for.
            let line = "swath: listening on http://\(host):\(port) (\(location.description))\n"
            FileHandle.standardOutput.write(Data(line.utf8))
        }
        // The embedded default runs its own jobs; a server database has workers for that.
        guard runJobs || database.sqlitePath != nil else { return try await app.runService() }
        var logger = Logger(label: "swath")
        logger.logLevel = .info
        var jobs = JobRunner(service: service, exportRoot: exportDir)
        jobs.overviewLocation = overviewDir
        let group = ServiceGroup(configuration: .init(services: [.init(service: app), .init(service: jobs)],
                                                      gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        try await group.run()
    }
}
