import Foundation
import Testing
import SwathGeo
import SwathLabels
import SwathTestSupport

/// k annotators per task through the HTTP API: settings checked, each
/// annotator on their own set, the consensus and disagreement worked out by
/// hand, review, and collusion caught.
@Suite struct ConsensusRouteTests {
    /// Shoelace area of a pixel-space polygon's exterior ring.
    static func area(_ feature: [String: Any]) -> Double {
        let ring = coordinates(feature)[0]
        return abs(zip(ring, ring.dropFirst()).reduce(0.0) { $0 + $1.0[0] * $1.1[1] - $1.1[0] * $1.0[1] }) / 2
    }

    static func thirdAnnotator(_ world: TestWorld) async throws -> String {
        let (user, token) = try await world.service.createUser(name: "cy annotator", isAdmin: false, by: .commandLine)
        try await world.service.addMember(projectId: world.projectA, userId: user.id, role: .annotator, by: .commandLine)
        return token
    }

    @Test func settingsAreCheckedAgainstTheWorkforce() async throws {
        let world = try await TestWorld.make()
        try await world.test { client in
            let path = "/api/v1/projects/\(world.projectA)/settings"
            let tooMany = try await client.call(.patch, path, token: world.manager, json: ["labelsPerTask": 3])
            #expect(tooMany.status == .conflict)
            #expect(tooMany.reason.contains("labelsPerTask 3 is more than the 2 annotators"))
            let share = try await client.call(.patch, path, token: world.manager, json: ["goldRate": 1.5])
            #expect(share.status == .badRequest && share.reason == "goldRate must be between 0 and 1, got 1.5")
            #expect(try await client.call(.patch, path, token: world.manager, json: ["agreementThreshold": -0.1]).status == .badRequest)
            #expect(try await client.call(.patch, path, token: world.manager, json: ["goldWindow": 5, "goldMinimum": 6]).status == .badRequest)
            #expect(try await client.call(.patch, path, token: world.manager, json: ["tileSize": 256]).status == .conflict, "tasks are cut")
            #expect(try await client.call(.patch, path, token: world.annotator, json: ["labelsPerTask": 2]).status == .forbidden)
            #expect(try await client.call(.patch, path, token: world.outsider, json: ["labelsPerTask": 2]).status == .notFound)
            let changed = try await client.call(.patch, path, token: world.manager, json: ["labelsPerTask": 2, "agreementThreshold": 0.8])
            #expect(changed.status == .ok)
            let settings = changed.object["settings"] as? [String: Any]
            #expect(settings?["labelsPerTask"] as? Int == 2 && settings?["agreementThreshold"] as? Double == 0.8)
        }
    }

    @Test func threeAnnotatorsMakeAConsensusThatGoesToReview() async throws {
        let world = try await TestWorld.make()
        let cy = try await Self.thirdAnnotator(world)
        try await world.test { client in
            #expect(try await client.call(.patch, "/api/v1/projects/\(world.projectA)/settings", token: world.manager,
                                          json: ["labelsPerTask": 3]).status == .ok)
            let target = world.tasksA[0].id
            let skip = world.tasksA.dropFirst().map { String($0.id) }.joined(separator: ",")
            let drawings = [(world.annotator, pixelSquare(10, 10, 40)), (world.annotator2, pixelSquare(14, 10, 40)), (cy, pixelSquare(70, 70, 30))]
            for (token, square) in drawings {
                let claimed = try await client.call(.post, "/api/v1/projects/\(world.projectA)/tasks/claim?skip=\(skip)", token: token)
                #expect(claimed.object["id"] as? Int64 == target && claimed.object["status"] as? String == "in_progress")
                let saved = try await client.call(.put, "/api/v1/tasks/\(target)/labels?crs=pixel", token: token, json: featureCollection([square]))
                #expect(saved.status == .ok, "\(saved.text)")
            }
            // Each annotator sees only their own set.
            let own = try await client.call(.get, "/api/v1/tasks/\(target)/labels?crs=pixel", token: world.annotator2)
            let mine = own.object["features"] as! [[String: Any]]
            #expect(mine.count == 1 && coordinates(mine[0])[0].map { $0[0] }.min() == 14, "bo's square starts at x 14")
            for (token, _) in drawings.prefix(2) {
                #expect(try await client.call(.post, "/api/v1/tasks/\(target)/submit", token: token).object["status"] as? String == "submitted")
            }
            #expect(try await client.call(.get, "/api/v1/tasks/\(target)", token: world.manager).object["status"] as? String == "open",
                    "still waiting for its third annotator")
            _ = try await client.call(.post, "/api/v1/tasks/\(target)/submit", token: cy)

            // Pairs: the two overlapping squares match (IoU 1440/1760), the far one matches neither: agreement 1/3 < 0.7.
            #expect(try await client.call(.get, "/api/v1/tasks/\(target)", token: world.manager).object["status"] as? String == "submitted")
            let review = try await client.call(.get, "/api/v1/tasks/\(target)/consensus?crs=pixel", token: world.reviewer)
            #expect(review.status == .ok)
            #expect(abs((review.object["agreement"] as! Double) - 1.0 / 3) < 1e-9)
            #expect((review.object["annotators"] as! [Any]).count == 3)
            // Two of three agree on x 14…50: 36 × 40 pixels.
            let consensus = (review.object["consensus"] as! [String: Any])["features"] as! [[String: Any]]
            #expect(consensus.count == 1 && abs(Self.area(consensus[0]) - 1440) < 1e-6)
            #expect((consensus[0]["properties"] as! [String: Any])["source"] as? String == "consensus")
            // Disputed: everything drawn, since nobody's ground is shared by all three: 44 × 40 + 30 × 30.
            let disputed = (review.object["disagreement"] as! [[String: Any]]).reduce(0.0) { $0 + Self.area($1) }
            #expect(abs(disputed - 2660) < 1e-6)
            #expect(try await client.call(.get, "/api/v1/tasks/\(target)/consensus", token: world.annotator).status == .forbidden)

            let report = try await client.call(.get, "/api/v1/projects/\(world.projectA)/quality", token: world.manager).object
            let outcome = report["consensus"] as! [String: Any]
            #expect(outcome["tasksCompleted"] as? Int == 1 && outcome["sentToReview"] as? Int == 1)
            let cropland = (report["classes"] as! [[String: Any]]).first { $0["classId"] as? Int == 40 }!["agreement"] as! [String: Any]
            #expect(cropland["pairs"] as? Int == 3 && abs((cropland["meanF1"] as! Double) - 1.0 / 3) < 1e-9)

            // A reviewer who did not annotate rejects it: back to the queue for three fresh submissions.
            let rejected = try await client.call(.post, "/api/v1/tasks/\(target)/review", token: world.reviewer,
                                                 json: ["decision": "reject", "comment": "the third field is not there"])
            #expect(rejected.object["status"] as? String == "open")
            let again = try await client.call(.post, "/api/v1/projects/\(world.projectA)/tasks/claim?skip=\(skip)", token: world.annotator)
            #expect(again.object["id"] as? Int64 == target)
            let fresh = try await client.call(.get, "/api/v1/tasks/\(target)/labels", token: world.annotator)
            #expect((fresh.object["features"] as? [Any])?.isEmpty == true, "the rejected work is history")
        }
    }

    @Test func identicalSubmissionsOnOneTaskAreCollusion() async throws {
        let world = try await TestWorld.make()
        _ = try await Self.thirdAnnotator(world)
        try await world.test { client in
            #expect(try await client.call(.patch, "/api/v1/projects/\(world.projectA)/settings", token: world.manager,
                                          json: ["labelsPerTask": 3]).status == .ok)
            let target = world.tasksA[1].id
            let skip = world.tasksA.filter { $0.id != target }.map { String($0.id) }.joined(separator: ",")
            for token in [world.annotator, world.annotator2] {
                _ = try await client.call(.post, "/api/v1/projects/\(world.projectA)/tasks/claim?skip=\(skip)", token: token)
                let body: [String: Any] = ["type": "FeatureCollection", "features": [[
                    "type": "Feature", "geometry": ["type": "Polygon", "coordinates": [pixelSquare(20, 20, 30)]],
                    "properties": ["class": "cropland", "secondsSpent": 60]]]]
                #expect(try await client.call(.put, "/api/v1/tasks/\(target)/labels?crs=pixel", token: token, json: body).status == .ok)
                _ = try await client.call(.post, "/api/v1/tasks/\(target)/submit", token: token)
            }
            let flags = try await client.call(.get, "/api/v1/projects/\(world.projectA)/quality", token: world.manager).object["flags"] as! [[String: Any]]
            let collusion = flags.filter { $0["kind"] as? String == "collusion" }
            #expect(collusion.count == 2 && Set(collusion.map { $0["taskId"] as? Int64 }) == [target])
            #expect((collusion[0]["evidence"] as! String).hasSuffix("identical work on consensus task \(target): 1 polygons, every outline within 0.05 px"))
            #expect(!flags.contains { $0["kind"] as? String == "copied_geometry" }, "the same task is collusion, not a copy")
        }
    }
}
