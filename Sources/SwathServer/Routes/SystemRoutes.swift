import Foundation
import Hummingbird
import SwathLabels

/// Unauthenticated: health (the store named and asked a trivial query),
/// metrics (aggregate counts only: no ids, names or paths) and the OpenAPI document.
struct SystemRoutes {
    let service: LabelingService
    let metrics: ServerMetrics

    func register(on router: Router<SwathRequestContext>) {
        router.get("healthz") { _, context in
            do {
                try await service.store.ping()
                return try Response.json(["status": "ok", "store": service.store.kind])
            } catch {
                // The reason goes to the log: a database error can name files.
                context.logger.error("health check failed", metadata: ["error": "\(error)"])
                return try Response.json(["status": "unavailable", "store": service.store.kind], status: .serviceUnavailable)
            }
        }
        router.get("metrics") { _, _ in
            metrics.openTasks.set(Int64(try await service.store.openTaskCount()))
            if let waits = service.store.connectionWaits {
                metrics.connectionWaits.set(Int64(waits.count))
                metrics.connectionWaitSeconds.set(waits.seconds)
            }
            return Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                            body: .init(byteBuffer: ByteBuffer(bytes: metrics.exposition())))
        }
        router.get("openapi.yaml") { _, _ in
            Response(status: .ok, headers: [.contentType: "application/yaml"],
                     body: .init(byteBuffer: ByteBuffer(string: OpenAPIDocument.text)))
        }
    }
}

/// The OpenAPI 3 description of the API, shipped as a resource.
public enum OpenAPIDocument {
    public static let text: String = {
        guard let url = Bundle.module.url(forResource: "openapi", withExtension: "yaml"),
              let text = try? String(contentsOf: url, encoding: .utf8) else { return "openapi: 3.0.3\n" }
        return text
    }()
}
