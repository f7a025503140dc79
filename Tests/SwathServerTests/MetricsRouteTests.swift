import Foundation
import Testing
import SwathServer

/// /healthz names the store and asks it a question; /metrics counts what
/// the server did, by route template, in Prometheus's text format.
@Suite struct MetricsRouteTests {
    /// The value of the sample whose line starts with `series` (name and labels as the registry writes them).
    static func sample(_ text: String, _ series: String) -> Double? {
        text.split(separator: "\n").first { $0.hasPrefix(series + " ") }.flatMap { Double($0.split(separator: " ").last ?? "") }
    }

    @Test func healthNamesTheStore() async throws {
        let world = try await TestWorld.make()
        try await world.test { client in
            let reply = try await client.call(.get, "/healthz")
            #expect(reply.status == .ok && reply.object["status"] as? String == "ok" && reply.object["store"] as? String == world.service.store.kind)
            #expect(["sqlite", "postgresql"].contains(world.service.store.kind))
        }
    }

    @Test func requestsClaimsSavesAndOpenTasksAreCounted() async throws {
        let world = try await TestWorld.make()
        try await world.test { client in
            for _ in 0..<2 { _ = try await client.call(.get, "/api/v1/me", token: world.annotator) }
            _ = try await client.call(.get, "/api/v1/me", token: "not-a-token")
            let claimed = try await client.call(.post, "/api/v1/projects/\(world.projectA)/tasks/claim", token: world.annotator)
            let task = try #require(claimed.object["id"] as? Int)
            let saved = try await client.call(.put, "/api/v1/tasks/\(task)/labels?crs=pixel", token: world.annotator,
                                              json: featureCollection([pixelSquare(5, 5, 20)]))
            #expect(saved.status == .ok)
            _ = try await client.call(.get, "/api/v1/tasks/\(task)", token: world.annotator)
            _ = try await client.call(.get, "/api/v1/tasks/\(task + 1000)", token: world.annotator)
            let metrics = try await client.call(.get, "/metrics")
            #expect(metrics.status == .ok)
            let text = metrics.text
            #expect(Self.sample(text, #"swath_http_requests_total{route="/api/v1/me",method="GET",status="200"}"#) == 2, "\(text)")
            #expect(Self.sample(text, #"swath_http_requests_total{route="/api/v1/me",method="GET",status="401"}"#) == 1)
            // One series for every task id: the template, not the path.
            #expect(Self.sample(text, #"swath_http_requests_total{route="/api/v1/tasks/{id}",method="GET",status="200"}"#) == 1)
            #expect(Self.sample(text, #"swath_http_requests_total{route="/api/v1/tasks/{id}",method="GET",status="404"}"#) == 1)
            #expect(!text.contains("/api/v1/tasks/\(task)\""))
            #expect(Self.sample(text, #"swath_http_request_duration_seconds_count{route="/api/v1/me",method="GET"}"#) == 3)
            #expect(Self.sample(text, "swath_task_claims_total") == 1)
            #expect(Self.sample(text, "swath_label_saves_total") == 1)
            let sceneB = try await world.service.store.tasks(sceneId: world.sceneB).count
            #expect(Self.sample(text, "swath_open_tasks") == Double(world.tasksA.count - 1 + sceneB))  // all but the claimed one
            #expect(!text.contains(TestWorld.customer))
            // PostgreSQL: every store call above asked the pool for a connection; SQLite has no pool to report.
            if world.service.store.kind == "postgresql" {
                #expect((Self.sample(text, "swath_db_pool_waits") ?? 0) >= 8 && Self.sample(text, "swath_db_pool_wait_seconds") != nil)
            } else {
                #expect(Self.sample(text, "swath_db_pool_waits") == 0)  // registered, never set
            }
        }
    }
}
