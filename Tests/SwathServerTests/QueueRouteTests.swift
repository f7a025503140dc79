import Foundation
import Synchronization
import Testing
import SwathGeo
import SwathLabels
import SwathTestSupport

/// Claims, leases, submission and review.
@Suite struct QueueRouteTests {
    /// Skip: release the task, then claim past it; the review queue lists submitted tasks.
    @Test func skipReleasesAndClaimsPastSkippedTasks() async throws {
        let world = try await TestWorld.make()
        try await world.test { client in
            let claim = "/api/v1/projects/\(world.projectA)/tasks/claim"
            var skipped: [Int] = []
            for _ in 0..<4 {
                let reply = try await client.call(.post, claim + "?skip=" + skipped.map(String.init).joined(separator: ","), token: world.annotator)
                #expect(reply.status == .ok)
                let id = reply.object["id"] as! Int
                #expect(!skipped.contains(id), "a skipped task came back")
                #expect(try await client.call(.post, "/api/v1/tasks/\(id)/release", token: world.annotator2).status == .conflict)
                let released = try await client.call(.post, "/api/v1/tasks/\(id)/release", token: world.annotator)
                #expect(released.status == .ok && released.object["status"] as? String == "open" && released.object["assigneeId"] == nil)
                skipped.append(id)
            }
            #expect(Set(skipped).count == 4)
            #expect(try await client.call(.post, claim + "?skip=" + skipped.map(String.init).joined(separator: ","),
                                          token: world.annotator).status == .noContent)
            #expect(try await client.call(.post, claim + "?skip=1,x", token: world.annotator).status == .badRequest)
            // Another annotator still gets them; the audit trail says who skipped what.
            let other = try await client.call(.post, claim, token: world.annotator2)
            #expect(other.status == .ok)
            let audit = try await client.call(.get, "/api/v1/projects/\(world.projectA)/audit?limit=5000", token: world.manager)
            #expect(audit.array.filter { $0["action"] as? String == "task.released" }.count == 4)

            // The review queue.
            let held = other.object["id"] as! Int
            _ = try await client.call(.put, "/api/v1/tasks/\(held)/labels?crs=pixel", token: world.annotator2,
                                      json: featureCollection([pixelSquare(10, 10, 40)]))
            _ = try await client.call(.post, "/api/v1/tasks/\(held)/submit", token: world.annotator2)
            let queue = try await client.call(.get, "/api/v1/projects/\(world.projectA)/tasks?status=submitted", token: world.reviewer)
            #expect(queue.status == .ok && queue.array.map { $0["id"] as! Int } == [held])
            #expect(try await client.call(.get, "/api/v1/projects/\(world.projectA)/tasks", token: world.manager).array.count == 1)
            #expect(try await client.call(.get, "/api/v1/projects/\(world.projectA)/tasks?status=open", token: world.reviewer).array.count == 3)
            #expect(try await client.call(.get, "/api/v1/projects/\(world.projectA)/tasks", token: world.annotator).status == .forbidden)
            #expect(try await client.call(.get, "/api/v1/projects/\(world.projectA)/tasks", token: world.outsider).status == .notFound)
            let bad = try await client.call(.get, "/api/v1/projects/\(world.projectA)/tasks?status=done", token: world.reviewer)
            #expect(bad.status == .badRequest && bad.reason.contains("status must be one of"))
        }
    }

    @Test func claimLeaseHeartbeatAndExpiry() async throws {
        let world = try await TestWorld.make()
        try await world.test { client in
            let claim = "/api/v1/projects/\(world.projectA)/tasks/claim"
            let first = try await client.call(.post, claim, token: world.annotator)
            #expect(first.status == .ok && first.object["status"] as? String == "in_progress")
            let taskId = first.object["id"] as! Int
            // Claiming again returns the task already held: no hoarding.
            #expect(try await client.call(.post, claim, token: world.annotator).object["id"] as? Int == taskId)
            let lease = ISO8601DateFormatter().date(from: first.object["leaseExpiresAt"] as! String)!
            #expect(abs(lease.timeIntervalSince(world.clock.now) - 1800) < 1)

            world.clock.advance(seconds: 1000)
            let renewed = try await client.call(.post, "/api/v1/tasks/\(taskId)/heartbeat", token: world.annotator)
            #expect(renewed.status == .ok)
            let renewedLease = ISO8601DateFormatter().date(from: renewed.object["leaseExpiresAt"] as! String)!
            #expect(abs(renewedLease.timeIntervalSince(world.clock.now) - 1800) < 1)
            #expect(try await client.call(.post, "/api/v1/tasks/\(taskId)/heartbeat", token: world.annotator2).status == .conflict)

            // Past the lease the task goes back to the queue and the first annotator has lost it.
            world.clock.advance(seconds: 1801)
            let label = featureCollection([pixelSquare(10, 10, 20)])
            let lost = try await client.call(.put, "/api/v1/tasks/\(taskId)/labels?crs=pixel", token: world.annotator, json: label)
            #expect(lost.status == .conflict)
            var claimedBySecond: [Int] = []
            for _ in 0..<4 {
                let reply = try await client.call(.post, claim, token: world.annotator2)
                claimedBySecond.append(reply.object["id"] as! Int)
                _ = try await client.call(.post, "/api/v1/tasks/\(reply.object["id"] as! Int)/submit", token: world.annotator2)
            }
            #expect(claimedBySecond.contains(taskId), "the expired task was claimable again")
            #expect(try await client.call(.post, claim, token: world.annotator2).status == .noContent)
            #expect(try await client.call(.post, "/api/v1/tasks/\(taskId)/submit", token: world.annotator).status == .conflict)
        }
    }

    @Test func submitNeedsALiveLeaseAndReviewRoundTrip() async throws {
        let world = try await TestWorld.make()
        try await world.test { client in
            let taskId = try await client.call(.post, "/api/v1/projects/\(world.projectA)/tasks/claim", token: world.annotator).object["id"] as! Int
            #expect(try await client.call(.post, "/api/v1/tasks/\(taskId)/submit", token: world.annotator2).status == .conflict)
            #expect(try await client.call(.post, "/api/v1/tasks/\(taskId)/review", token: world.reviewer,
                                          json: ["decision": "accept"]).status == .conflict)  // not submitted yet
            let saved = try await client.call(.put, "/api/v1/tasks/\(taskId)/labels?crs=pixel", token: world.annotator,
                                              json: featureCollection([pixelSquare(10, 10, 40)]))
            #expect(saved.status == .ok)
            let submitted = try await client.call(.post, "/api/v1/tasks/\(taskId)/submit", token: world.annotator)
            #expect(submitted.object["status"] as? String == "submitted")
            #expect(try await client.call(.put, "/api/v1/tasks/\(taskId)/labels", token: world.annotator,
                                          json: featureCollection([])).status == .conflict)

            #expect(try await client.call(.post, "/api/v1/tasks/\(taskId)/review", token: world.annotator,
                                          json: ["decision": "accept"]).status == .forbidden)
            #expect(try await client.call(.post, "/api/v1/tasks/\(taskId)/review", token: world.reviewer,
                                          json: ["decision": "reject"]).status == .badRequest)  // a rejection needs a comment
            #expect(try await client.call(.post, "/api/v1/tasks/\(taskId)/review", token: world.reviewer,
                                          json: ["decision": "maybe"]).status == .badRequest)
            let rejected = try await client.call(.post, "/api/v1/tasks/\(taskId)/review", token: world.reviewer,
                                                 json: ["decision": "reject", "comment": "field edge is off by 3 px"])
            #expect(rejected.status == .ok && rejected.object["status"] as? String == "open")

            // Back in the queue, with its history: the labels and the review are still there.
            #expect(try await client.call(.get, "/api/v1/tasks/\(taskId)/labels", token: world.reviewer).object["features"].map { ($0 as! [Any]).count } == 1)
            // Another annotator sees a task's labels only once it is accepted, or when they claim it.
            #expect(try await client.call(.get, "/api/v1/tasks/\(taskId)/labels", token: world.annotator2).status == .forbidden)
            #expect(try await client.call(.get, "/api/v1/tasks/\(taskId)/reviews", token: world.annotator2).status == .forbidden)
            #expect(try await client.call(.get, "/api/v1/tasks/\(taskId)/reviews", token: world.annotator).status == .ok)
            let reviews = try await client.call(.get, "/api/v1/tasks/\(taskId)/reviews", token: world.manager).array
            #expect(reviews.count == 1 && reviews[0]["comment"] as? String == "field edge is off by 3 px")

            // Claimed again (the only open task for this annotator may be another; loop until we get it).
            var reclaimed = 0
            for _ in 0..<4 where reclaimed != taskId {
                let reply = try await client.call(.post, "/api/v1/projects/\(world.projectA)/tasks/claim", token: world.annotator2)
                reclaimed = reply.object["id"] as! Int
                if reclaimed != taskId { _ = try await client.call(.post, "/api/v1/tasks/\(reclaimed)/submit", token: world.annotator2) }
            }
            #expect(reclaimed == taskId)
            _ = try await client.call(.post, "/api/v1/tasks/\(taskId)/submit", token: world.annotator2)
            let accepted = try await client.call(.post, "/api/v1/tasks/\(taskId)/review", token: world.reviewer, json: ["decision": "accept"])
            #expect(accepted.object["status"] as? String == "accepted")
        }
    }

    @Test func auditTrailRecordsEveryStepInOrder() async throws {
        let world = try await TestWorld.make()
        try await world.test { client in
            let taskId = try await client.call(.post, "/api/v1/projects/\(world.projectA)/tasks/claim", token: world.annotator).object["id"] as! Int
            _ = try await client.call(.put, "/api/v1/tasks/\(taskId)/labels?crs=pixel", token: world.annotator,
                                      json: featureCollection([pixelSquare(5, 5, 30)]))
            _ = try await client.call(.post, "/api/v1/tasks/\(taskId)/submit", token: world.annotator)
            _ = try await client.call(.post, "/api/v1/tasks/\(taskId)/review", token: world.reviewer, json: ["decision": "accept"])
            let events = try await client.call(.get, "/api/v1/projects/\(world.projectA)/audit", token: world.manager).array
            let actions = events.map { $0["action"] as! String }
            #expect(actions.prefix(3) == ["project.created", "member.added", "member.added"])
            #expect(actions.suffix(4) == ["task.claimed", "labels.saved", "task.submitted", "task.reviewed"])
            let review = events.last!
            #expect((review["before"] as? [String: Any])?["status"] as? String == "submitted")
            #expect((review["after"] as? [String: Any])?["status"] as? String == "accepted")
            let ids = events.map { $0["id"] as! Int }
            #expect(ids == ids.sorted())
            let page = try await client.call(.get, "/api/v1/projects/\(world.projectA)/audit?after=\(ids[ids.count - 3])", token: world.manager).array
            #expect(page.count == 2)
        }
    }

    @Test func concurrentClaimsNeverShareATask() async throws {
        // A 640 × 320 scene in 64-pixel tasks: 10 × 5 = 50 tasks, claimed by 200 annotators at once.
        let scene = try TemporaryDirectory("swath-scene")
        let path = try TestGeoTIFF.write(scene.file("fifty.tif"), size: Size(width: 640, height: 320),
                                         transform: GeoTransform([500000, 10, 0, 4000000, 0, -10]), epsg: 32633, dataType: .byte)
        let world = try await TestWorld.make(tileSize: 64, scenePath: path, bandRoles: [:])
        #expect(world.tasksA.count == 50)
        var tokens: [String] = []
        for index in 0..<200 {
            let (user, token) = try await world.service.createUser(name: "crowd \(index)", isAdmin: false, by: .commandLine)
            try await world.service.addMember(projectId: world.projectA, userId: user.id, role: .annotator, by: .commandLine)
            tokens.append(token)
        }
        let crowd = tokens
        try await world.test { client in
            let claimed = try await withThrowingTaskGroup(of: Int?.self) { group in
                for token in crowd {
                    group.addTask {
                        let reply = try await client.call(.post, "/api/v1/projects/\(world.projectA)/tasks/claim", token: token)
                        return reply.status == .ok ? reply.object["id"] as? Int : nil
                    }
                }
                var ids: [Int] = []
                for try await id in group { if let id { ids.append(id) } }
                return ids
            }
            #expect(claimed.count == 50)
            #expect(Set(claimed).count == 50, "a task was given to two people")
        }
        let assignees = try await world.service.store.tasks(sceneId: world.sceneA).map(\.assigneeId)
        #expect(Set(assignees.compactMap { $0 }).count == 50)
    }
}
