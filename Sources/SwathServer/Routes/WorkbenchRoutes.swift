import Foundation
import Hummingbird

/// The analyst's web page: `/` is the page, `/app/…` its CSS and JavaScript
/// modules, `/vendor/leaflet/…` Leaflet from where Debian installs it. No
/// CDN, nothing fetched from the internet at run time.
struct WorkbenchRoutes {
    let webDirectory: URL
    let leafletDirectory: URL

    /// Scripts and styles from this server only; tiles arrive as blob: URLs.
    static let contentSecurityPolicy = "default-src 'self'; img-src 'self' blob: data:; style-src 'self' 'unsafe-inline'; "
        + "script-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'"

    func register(on router: Router<SwathRequestContext>) {
        let index = webDirectory.appendingPathComponent("index.html")
        router.get("/") { _, _ in
            guard let html = try? Data(contentsOf: index) else {
                throw APIError(status: .notFound, code: "not_found", reason: "the workbench page is not installed (\(index.path) is missing)")
            }
            return Response(status: .ok, headers: [
                .contentType: "text/html; charset=utf-8", .cacheControl: "no-cache",
                .contentSecurityPolicy: Self.contentSecurityPolicy, .xContentTypeOptions: "nosniff",
            ], body: .init(byteBuffer: ByteBuffer(data: html)))
        }
        // Revalidated on every load (cheap with ETags) so an upgrade never mixes old and new modules.
        router.add(middleware: FileMiddleware(webDirectory.path, urlBasePath: "/app", cacheControl: .init([(MediaType(type: .any), [.noCache])])))
        router.add(middleware: FileMiddleware(leafletDirectory.path, urlBasePath: "/vendor/leaflet",
                                              cacheControl: .init([(MediaType(type: .any), [.private, .maxAge(86_400)])])))
    }
}
