import Foundation
import Testing
import SwathLabels
import SwathServer
import SwathTestSupport

/// The OpenAPI document is valid OpenAPI 3 and lists exactly the routes the router serves.
@Suite struct OpenAPITests {
    @Test func documentIsValidAndServed() async throws {
        let world = try await TestWorld.make()
        let dir = try TemporaryDirectory()
        try await world.test { client in
            let reply = try await client.call(.get, "/openapi.yaml")
            #expect(reply.status == .ok)
            try reply.text.write(toFile: dir.file("openapi.yaml"), atomically: true, encoding: .utf8)
        }
        let result = try Shell.run("python3", ["-m", "openapi_spec_validator", dir.file("openapi.yaml")])
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
    }

    @Test func everyRouteIsDocumentedAndNothingElse() async throws {
        let world = try await TestWorld.make()
        let routes = Set(buildRouter(service: world.service).routes.map { "\($0.method.rawValue.lowercased()) /\(Self.normalize("\($0.path)"))" })
        let documented = Set(Self.documentedOperations(OpenAPIDocument.text))
        #expect(routes == documented, "undocumented: \(routes.subtracting(documented)); stale: \(documented.subtracting(routes))")
    }

    static func normalize(_ path: String) -> String {
        path.split(separator: "/").map { $0.hasPrefix(":") ? "{\($0.dropFirst())}" : String($0) }.joined(separator: "/")
    }

    /// "get /api/v1/projects/{id}" for every operation under `paths:`.
    static func documentedOperations(_ yaml: String) -> [String] {
        var operations: [String] = []
        var current: String?
        var inPaths = false
        for line in yaml.split(separator: "\n", omittingEmptySubsequences: false) {
            if line == "paths:" { inPaths = true; continue }
            if inPaths, !line.hasPrefix(" "), !line.isEmpty { inPaths = false }
            guard inPaths else { continue }
            if line.hasPrefix("  /"), line.hasSuffix(":"), !line.hasPrefix("   ") {
                current = String(line.dropFirst(2).dropLast())
            } else if let path = current, line.hasPrefix("    "), !line.hasPrefix("     ") {
                let key = line.trimmingCharacters(in: .whitespaces).split(separator: ":").first.map(String.init) ?? ""
                if ["get", "post", "put", "delete", "patch"].contains(key) {
                    operations.append("\(key) \(path.hasPrefix("/") ? path : "/" + path)")
                }
            }
        }
        return operations.map { $0.replacingOccurrences(of: " //", with: " /") }
    }
}
