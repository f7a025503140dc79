import Foundation
import Hummingbird
import HummingbirdTesting
import SwathServer

extension TestWorld {
    /// The world's folders for chips and overviews, changed by `configure`
    /// (a tiny render queue, a small chip budget, a given ETag secret).
    func options(_ configure: (inout ServerOptions) -> Void = { _ in }) -> ServerOptions {
        var options = ServerOptions(chipCache: directory.url.appendingPathComponent("chips"),
                                    overviewDirectory: directory.url.appendingPathComponent("overviews"))
        configure(&options)
        return options
    }

    /// Runs `body` against a router built with `options`.
    func test(options: ServerOptions, _ body: @Sendable (any TestClientProtocol) async throws -> Void) async throws {
        let app = Application(router: buildRouter(service: service, options: options))
        try await app.test(.router) { client in try await body(client) }
    }
}
