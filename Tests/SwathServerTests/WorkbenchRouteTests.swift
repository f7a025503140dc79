import Foundation
import Testing
import SwathTestSupport

/// The page, its modules and Leaflet are served without a token and
/// without anything from the internet.
@Suite struct WorkbenchRouteTests {
    @Test func pageModulesAndLeafletAreServedLocally() async throws {
        let world = try await TestWorld.make()
        try await world.test { client in
            let page = try await client.fetch("/", token: nil)
            #expect(page.status == .ok)
            #expect(page.headers[.contentType] == "text/html; charset=utf-8")
            #expect(page.headers[.contentSecurityPolicy]?.contains("default-src 'self'") == true)
            let html = String(decoding: page.bytes, as: UTF8.self)
            #expect(html.contains("/vendor/leaflet/leaflet.js") && html.contains("/app/js/main.js"))
            #expect(!html.contains("http://") && !html.contains("https://"), "nothing from elsewhere")
            let module = try await client.fetch("/app/js/main.js", token: nil)
            #expect(module.status == .ok)
            #expect(module.headers[.contentType]?.contains("javascript") == true)
            if FileManager.default.fileExists(atPath: "/usr/share/javascript/leaflet/leaflet.js") {
                let leaflet = try await client.fetch("/vendor/leaflet/leaflet.js", token: nil)
                #expect(leaflet.status == .ok)
                #expect(leaflet.bytes == Array(try Data(contentsOf: URL(fileURLWithPath: "/usr/share/javascript/leaflet/leaflet.js"))))
            }
            let status1 = try await client.call(.get, "/app/../Package.swift", token: nil).status
            #expect(status1 != .ok)
            let status2 = try await client.call(.get, "/app/js/nonexistent.js", token: nil).status
            #expect(status2 == .notFound)
        }
    }
}
