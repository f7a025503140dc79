import Foundation
import Testing
import SwathGeo
import SwathLabels
import SwathTestSupport

/// The quality report: managers only, flags with evidence from real saves,
/// and no division by zero on a project without work.
@Suite struct QualityRouteTests {
    @Test func emptyProjectReportsZerosNotNaN() async throws {
        let world = try await TestWorld.make()
        try await world.test { client in
            let reply = try await client.call(.get, "/api/v1/projects/\(world.projectA)/quality", token: world.manager)
            #expect(reply.status == .ok)
            #expect(reply.object["flagRate"] as? Double == 0)
            #expect((reply.object["annotators"] as? [Any])?.isEmpty == true && (reply.object["flags"] as? [Any])?.isEmpty == true)
            #expect(!reply.text.contains("nan") && !reply.text.contains("inf"))
            #expect(try await client.call(.get, "/api/v1/projects/\(world.projectA)/quality", token: world.annotator).status == .forbidden)
            #expect(try await client.call(.get, "/api/v1/projects/\(world.projectA)/quality", token: world.reviewer).status == .forbidden)
            #expect(try await client.call(.get, "/api/v1/projects/\(world.projectA)/quality", token: world.outsider).status == .notFound)
        }
    }

    @Test func fastCopiedAndWholeTileWorkIsFlagged() async throws {
        let world = try await TestWorld.make()
        let annotator = try await world.service.authenticate(token: world.annotator)
        try await world.test { client in
            // Task 1: a careful field (40 s for 4 vertices) and a copy of it in task 2 drawn in 1 s.
            func save(_ ring: [[Double]], seconds: Double) async throws -> Int {
                let task = try await world.service.claim(projectId: world.projectA, by: annotator)!
                let body: [String: Any] = ["type": "FeatureCollection", "features": [[
                    "type": "Feature", "geometry": ["type": "Polygon", "coordinates": [ring]],
                    "properties": ["class": "cropland", "secondsSpent": seconds]]]]
                let saved = try await client.call(.put, "/api/v1/tasks/\(task.id)/labels?crs=pixel", token: world.annotator, json: body)
                #expect(saved.status == .ok, "\(saved.text)")
                world.clock.advance(seconds: seconds)  // the speed check believes the server's clock, claim to submit
                _ = try await client.call(.post, "/api/v1/tasks/\(task.id)/submit", token: world.annotator)
                return Int(task.id)
            }
            let careful = try await save(pixelSquare(10, 10, 30), seconds: 40)
            let copied = try await save(pixelSquare(10, 10, 30), seconds: 1)
            let whole = try await save(pixelSquare(-1, -1, 130), seconds: 30)
            let reply = try await client.call(.get, "/api/v1/projects/\(world.projectA)/quality", token: world.manager)
            let flags = reply.object["flags"] as! [[String: Any]]
            func kinds(_ task: Int) -> Set<String> { Set(flags.filter { $0["taskId"] as? Int == task }.map { $0["kind"] as! String }) }
            #expect(kinds(careful).isEmpty)
            #expect(kinds(copied) == ["implausible_speed", "copied_geometry"])
            #expect(kinds(whole).contains("degenerate_work"))
            let speed = flags.first { $0["kind"] as? String == "implausible_speed" }!["evidence"] as! String
            #expect(speed == "1.0 s for 4 vertices: 0.25 s per vertex, under 0.40")
            let annotators = reply.object["annotators"] as! [[String: Any]]
            #expect(annotators.count == 1 && annotators[0]["tasks"] as? Int == 3 && annotators[0]["labels"] as? Int == 3)
            #expect(abs((annotators[0]["secondsPerTask"] as! Double) - 71.0 / 3) < 1e-9)
            #expect(reply.object["flagRate"] as? Double == 1)
            #expect(annotators[0]["agreement"] is NSNull && annotators[0]["gold"] is NSNull)
        }
    }
}
