import Foundation
import Hummingbird
import Logging
import SwathExport
import SwathLabels
import SwathMap

/// Where the server listens.
public struct ServerConfiguration: Sendable {
    public var host: String
    public var port: Int

    public init(host: String = "127.0.0.1", port: Int = 8080) {
        self.host = host
        self.port = port
    }
}

/// The whole HTTP API as a router: the workbench page and system routes
/// open, /api/v1 behind bearer tokens.
public func buildRouter(service: LabelingService, options: ServerOptions = ServerOptions()) -> Router<SwathRequestContext> {
    let router = Router(context: SwathRequestContext.self)
    router.add(middleware: MetricsMiddleware(metrics: options.metrics))
    router.add(middleware: ErrorMiddleware())
    WorkbenchRoutes(webDirectory: options.resolvedWebDirectory, leafletDirectory: options.leafletDirectory).register(on: router)
    SystemRoutes(service: service, metrics: options.metrics).register(on: router)
    let api = router.group("api/v1").add(middleware: AuthMiddleware(service: service))
    ProjectRoutes(service: service).register(on: api)
    UserRoutes(service: service).register(on: api)
    let overviews = options.overviewPrefix.map(SceneOverviews.init(objects:)) ?? SceneOverviews(directory: options.overviewDirectory)
    SceneRoutes(service: service).register(on: api)
    TaskRoutes(service: service, metrics: options.metrics).register(on: api)
    LabelRoutes(service: service, metrics: options.metrics).register(on: api)
    AuditRoutes(service: service).register(on: api)
    QualityRoutes(service: service).register(on: api)
    ReferenceRoutes(service: service).register(on: api)
    WorkforceRoutes(service: service).register(on: api)
    ExportRoutes(service: service).register(on: api)
    // The chip budget is shared: three quarters for the live projects' chips, a quarter for releases'.
    let releaseChips = ReleaseChipService(service: service, cacheDirectory: options.chipCache.appendingPathComponent("releases"),
                                          budgetBytes: options.chipCacheBytes / 4)
    ReleaseRoutes(service: service, snapshots: releaseChips).register(on: api)
    PrelabelRoutes(service: service).register(on: api)
    StacRoutes(stac: StacService(service: service, releases: releaseChips), chips: releaseChips).register(on: api)
    ChipRoutes(chips: ChipService(service: service, cacheDirectory: options.chipCache, budgetBytes: options.chipCacheBytes - options.chipCacheBytes / 4,
                                      shared: options.chipCachePrefix, pseudonymSecret: options.chipPseudonymSecret)).register(on: api)
    MapTileRoutes(service: service, renderer: MapRenderer(overviews: overviews, queueLimit: options.tileRenderQueueLimit),
                  cache: TileCache(capacityBytes: options.tileCacheBytes), etags: TileETag(secret: options.tileETagSecret)).register(on: api)
    return router
}

/// The application `swath serve` runs, built in one function so tests can
/// run the same thing in-process.
public func buildApplication(service: LabelingService, configuration: ServerConfiguration,
                             options: ServerOptions = ServerOptions(),
                             onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }) -> some ApplicationProtocol {
    var logger = Logger(label: "swath")
    logger.logLevel = .info
    return Application(
        router: buildRouter(service: service, options: options),
        configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "swath"),
        onServerRunning: { channel in await onServerRunning(channel.localAddress?.port ?? configuration.port) },
        logger: logger
    )
}
