import Foundation
import Hummingbird
import Logging
import SwathExport
import SwathLabels

/// Where the server listens.
public struct ServerConfiguration: Sendable {
    public var host: String
    public var port: Int

    public init(host: String = "127.0.0.1", port: Int = 8080) {
        self.host = host
        self.port = port
    }
}

/// The whole HTTP API as a router: system routes open, /api/v1 behind bearer tokens.
/// Training chips are rendered on demand into `chipCache` (default tiles/.chips).
public func buildRouter(service: LabelingService,
                        chipCache: URL = URL(fileURLWithPath: "tiles/.chips")) -> Router<SwathRequestContext> {
    let router = Router(context: SwathRequestContext.self)
    router.add(middleware: ErrorMiddleware())
    SystemRoutes().register(on: router)
    let api = router.group("api/v1").add(middleware: AuthMiddleware(service: service))
    ProjectRoutes(service: service).register(on: api)
    UserRoutes(service: service).register(on: api)
    SceneRoutes(service: service).register(on: api)
    TaskRoutes(service: service).register(on: api)
    LabelRoutes(service: service).register(on: api)
    AuditRoutes(service: service).register(on: api)
    ChipRoutes(chips: ChipService(service: service, cacheDirectory: chipCache)).register(on: api)
    return router
}

/// The application `swath serve` runs, built in one function so tests can
/// run the same thing in-process.
public func buildApplication(service: LabelingService, configuration: ServerConfiguration,
                             chipCache: URL = URL(fileURLWithPath: "tiles/.chips"),
                             onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }) -> some ApplicationProtocol {
    var logger = Logger(label: "swath")
    logger.logLevel = .info
    return Application(
        router: buildRouter(service: service, chipCache: chipCache),
        configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "swath"),
        onServerRunning: { channel in await onServerRunning(channel.localAddress?.port ?? configuration.port) },
        logger: logger
    )
}
