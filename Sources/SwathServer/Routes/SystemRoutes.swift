import Foundation
import Hummingbird

/// Unauthenticated: health and the OpenAPI document.
struct SystemRoutes {
    func register(on router: Router<SwathRequestContext>) {
        router.get("healthz") { _, _ in
            try Response.json(["status": "ok"])
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
