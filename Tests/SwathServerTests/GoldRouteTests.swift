import Foundation
import Testing
import SwathGeo
import SwathLabels
import SwathTestSupport

/// Gold tasks: reference labels checked like any labels, served like any
/// task, scored, and an annotator below the threshold paused until a manager
/// reinstates them.
@Suite struct GoldRouteTests {
    @Test func goldIsScoredAndPausesTheInaccurate() async throws {
        let world = try await TestWorld.make()
        try await world.test { client in
            let gold = world.tasksA[0].id
            let path = "/api/v1/tasks/\(gold)/gold?crs=pixel"
            let bowtie: [[Double]] = [[10, 10], [50, 50], [50, 10], [10, 50], [10, 10]]
            let invalid = try await client.call(.put, path, token: world.manager, json: featureCollection([bowtie]))
            #expect(invalid.status == .unprocessableContent && invalid.text.contains("Self-intersection"))
            #expect(try await client.call(.put, path, token: world.manager, json: featureCollection([])).status == .badRequest)
            #expect(try await client.call(.put, path, token: world.annotator, json: featureCollection([pixelSquare(10, 10, 40)])).status == .forbidden)
            let marked = try await client.call(.put, path, token: world.manager, json: featureCollection([pixelSquare(10, 10, 40)]))
            #expect(marked.status == .ok && (marked.object["features"] as? [Any])?.count == 1)
            #expect(try await client.call(.get, path, token: world.annotator).status == .forbidden, "annotators cannot tell gold apart")
            #expect(try await client.call(.patch, "/api/v1/projects/\(world.projectA)/settings", token: world.manager,
                                          json: ["goldRate": 1, "goldWindow": 1, "goldMinimum": 1, "goldAccuracyThreshold": 0.5]).status == .ok)

            // Served like any task: the same fields, nothing saying gold.
            let claimed = try await client.call(.post, "/api/v1/projects/\(world.projectA)/tasks/claim", token: world.annotator)
            #expect(claimed.object["id"] as? Int64 == gold && claimed.object["status"] as? String == "in_progress")
            #expect(!claimed.text.lowercased().contains("gold"))
            // Drawn in the wrong place: F1 0 against the reference → paused.
            _ = try await client.call(.put, "/api/v1/tasks/\(gold)/labels?crs=pixel", token: world.annotator,
                                      json: featureCollection([pixelSquare(80, 80, 20)]))
            _ = try await client.call(.post, "/api/v1/tasks/\(gold)/submit", token: world.annotator)
            let refused = try await client.call(.post, "/api/v1/projects/\(world.projectA)/tasks/claim", token: world.annotator)
            #expect(refused.status == .forbidden && refused.reason.contains("paused"))
            #expect(!refused.reason.contains("F1"), "the evidence is for managers")

            // A careful annotator: one pixel off → IoU 1560/1640 → F1 1, not paused; then ordinary work.
            _ = try await client.call(.post, "/api/v1/projects/\(world.projectA)/tasks/claim", token: world.annotator2)
            _ = try await client.call(.put, "/api/v1/tasks/\(gold)/labels?crs=pixel", token: world.annotator2,
                                      json: featureCollection([pixelSquare(11, 10, 40)]))
            _ = try await client.call(.post, "/api/v1/tasks/\(gold)/submit", token: world.annotator2)
            let next = try await client.call(.post, "/api/v1/projects/\(world.projectA)/tasks/claim", token: world.annotator2)
            #expect(next.status == .ok && next.object["id"] as? Int64 != gold, "each gold task once per annotator")
            let held = next.object["id"] as! Int64
            #expect(Set(claimed.object.keys) == Set(next.object.keys), "a gold task looks like any claimed task")
            let busy = try await client.call(.put, "/api/v1/tasks/\(held)/gold?crs=pixel", token: world.manager,
                                             json: featureCollection([pixelSquare(10, 10, 40)]))
            #expect(busy.status == .conflict, "being worked: \(busy.text)")

            let report = try await client.call(.get, "/api/v1/projects/\(world.projectA)/quality", token: world.manager).object
            let annotators = report["annotators"] as! [[String: Any]]
            let paused = annotators.first { $0["paused"] as? Bool == true }!
            let pausedGold = paused["gold"] as! [String: Any]
            #expect(pausedGold["tasks"] as? Int == 1 && pausedGold["meanF1"] as? Double == 0 && pausedGold["meanBoundaryF1"] as? Double == 0)
            #expect(paused["pauseReason"] as? String == "mean F1 0.00 over the last 1 gold tasks, under 0.50")
            let careful = annotators.first { $0["paused"] as? Bool == false && $0["gold"] is [String: Any] }!
            #expect((careful["gold"] as! [String: Any])["meanF1"] as? Double == 1)

            // Reinstated: claiming works again, and the rolling accuracy starts over.
            let userId = paused["userId"] as! Int64
            let reinstate = "/api/v1/projects/\(world.projectA)/annotators/\(userId)/reinstate"
            #expect(try await client.call(.post, reinstate, token: world.annotator).status == .forbidden)
            #expect(try await client.call(.post, reinstate, token: world.manager).status == .ok)
            #expect(try await client.call(.post, reinstate, token: world.manager).status == .conflict, "no longer paused")
            #expect(try await client.call(.post, "/api/v1/projects/\(world.projectA)/tasks/claim", token: world.annotator).status == .ok)
        }
    }
}
