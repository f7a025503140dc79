import Foundation
import Testing
import SwathGeo
import SwathLabels
import HummingbirdTesting
import SwathTestSupport

/// The qualification gate: an applicant is served only qualification tasks,
/// passing unlocks real ones, failing the last attempt removes them; managers
/// see every standing and may give a fresh start; annotators see their own
/// and why, never the reference labels.
@Suite struct QualificationRouteTests {
    @Test func applicantsWorkOnlyQualificationTasksUntilTheyPassOrRunOutOfAttempts() async throws {
        let world = try await TestWorld.make()
        let annotatorId = try await world.service.authenticate(token: world.annotator).id
        let annotator2Id = try await world.service.authenticate(token: world.annotator2).id
        try await world.test { client in
            let project = "/api/v1/projects/\(world.projectA)"
            let tests = [world.tasksA[0].id, world.tasksA[1].id]
            let reference = featureCollection([pixelSquare(10, 10, 40)])
            #expect(try await client.call(.put, "/api/v1/tasks/\(tests[0])/qualification", token: world.manager, json: ["qualification": true])
                .status == .conflict, "a task must be gold before it can be a qualification task")
            for task in tests {
                #expect(try await client.call(.put, "/api/v1/tasks/\(task)/gold?crs=pixel", token: world.manager, json: reference).status == .ok)
                #expect(try await client.call(.put, "/api/v1/tasks/\(task)/qualification", token: world.annotator, json: ["qualification": true])
                    .status == .forbidden)
                #expect(try await client.call(.put, "/api/v1/tasks/\(task)/qualification", token: world.manager, json: ["qualification": true])
                    .status == .ok)
            }
            for (bad, field) in [(["threshold": 1.5], "qualification.threshold"), (["attempts": 0], "qualification.attempts"),
                                 (["tasksPerAttempt": 2.5], "tasksPerAttempt")] as [([String: Any], String)] {
                let reply = try await client.call(.patch, "\(project)/settings", token: world.manager, json: ["qualification": bad])
                #expect(reply.status == .badRequest && reply.text.contains(field), "\(bad): \(reply.text)")
            }
            let settings = try await client.call(.patch, "\(project)/settings", token: world.manager,
                                                 json: ["qualification": ["tasksPerAttempt": 1, "threshold": 0.8, "attempts": 2]])
            #expect(settings.status == .ok, "\(settings.text)")

            let page = try await client.call(.get, "\(project)/me", token: world.annotator)
            #expect((page.object["standing"] as? [String: Any])?["state"] as? String == "applicant", "\(page.text)")

            // Two failed attempts (F1 0 each): applicant after the first, removed after the last.
            var served: Set<Int64> = []
            for attempt in 1...2 {
                let claim = try await client.call(.post, "\(project)/tasks/claim", token: world.annotator)
                let task = try #require(claim.object["id"] as? Int64, "\(claim.text)")
                #expect(tests.contains(task), "an applicant is served only qualification tasks")
                served.insert(task)
                _ = try await client.call(.put, "/api/v1/tasks/\(task)/labels?crs=pixel", token: world.annotator,
                                          json: featureCollection([pixelSquare(90, 90, 20)]))
                #expect(try await client.call(.post, "/api/v1/tasks/\(task)/submit", token: world.annotator).status == .ok)
                let standing = try await client.call(.get, "\(project)/me", token: world.annotator).object["standing"] as! [String: Any]
                #expect(standing["state"] as? String == (attempt == 1 ? "applicant" : "removed"), "\(standing)")
                #expect(standing["qualificationF1"] as? [Double] == Array(repeating: 0, count: attempt))
                if attempt == 1 { #expect((standing["reason"] as? String ?? "").contains("attempt 1 failed: mean F1 0.00 over 1 tasks, under 0.80")) }
            }
            #expect(served == Set(tests))
            let refused = try await client.call(.post, "\(project)/tasks/claim", token: world.annotator)
            #expect(refused.status == .forbidden && refused.reason.contains("removed") && refused.reason.contains("no attempts left"))
            let own = try await client.call(.get, "\(project)/me", token: world.annotator)
            #expect(!own.text.contains("coordinates") && !own.text.contains("Acme"), "no reference labels, no customer: \(own.text)")

            // Passing (one pixel off: F1 1) unlocks real tasks. A test cannot be given back to pick another.
            let test = try await client.call(.post, "\(project)/tasks/claim", token: world.annotator2)
            let testId = try #require(test.object["id"] as? Int64)
            #expect(tests.contains(testId))
            let skip = try await client.call(.post, "/api/v1/tasks/\(testId)/release", token: world.annotator2)
            #expect(skip.status == .conflict && skip.reason.contains("cannot be skipped"), "\(skip.text)")
            _ = try await client.call(.put, "/api/v1/tasks/\(testId)/labels?crs=pixel", token: world.annotator2,
                                      json: featureCollection([pixelSquare(11, 10, 40)]))
            _ = try await client.call(.post, "/api/v1/tasks/\(testId)/submit", token: world.annotator2)
            let real = try await client.call(.post, "\(project)/tasks/claim", token: world.annotator2)
            let realId = try #require(real.object["id"] as? Int64)
            #expect(!tests.contains(realId), "qualified: real tasks now")

            // Managers see everyone; annotators may not.
            #expect(try await client.call(.get, "\(project)/standings", token: world.annotator).status == .forbidden)
            let standings = try await client.call(.get, "\(project)/standings", token: world.manager).array
            let byUser = Dictionary(uniqueKeysWithValues: standings.map { ($0["userId"] as! Int64, $0) })
            #expect(byUser[annotatorId]?["state"] as? String == "removed" && byUser[annotator2Id]?["state"] as? String == "qualified")
            #expect(byUser[annotator2Id]?["qualificationF1"] as? [Double] == [1] && byUser[annotator2Id]?["name"] as? String == "bo annotator")

            // A fresh start: earlier results no longer count; every qualification task is done, so nothing to serve.
            let path = "\(project)/annotators/\(annotatorId)/standing"
            #expect(try await client.call(.put, path, token: world.annotator, json: ["state": "qualified"]).status == .forbidden)
            #expect(try await client.call(.put, path, token: world.outsider, json: ["state": "qualified"]).status == .notFound)
            #expect(try await client.call(.put, path, token: world.manager, json: ["state": "paused"]).status == .badRequest)
            #expect(try await client.call(.put, path, token: world.manager, json: ["state": "bogus"]).status == .badRequest)
            let reviewerId = try await world.service.authenticate(token: world.reviewer).id
            let notAnnotator = try await client.call(.put, "\(project)/annotators/\(reviewerId)/standing", token: world.manager,
                                                     json: ["state": "qualified"])
            #expect(notAnnotator.status == .badRequest && notAnnotator.reason.contains("userId"))
            let fresh = try await client.call(.put, path, token: world.manager, json: ["state": "applicant", "reason": "retrained"])
            #expect(fresh.object["state"] as? String == "applicant" && fresh.object["qualificationF1"] as? [Double] == [])
            let none = try await client.call(.post, "\(project)/tasks/claim", token: world.annotator)
            #expect(none.status == .conflict && none.reason.contains("no qualification task is left"), "\(none.text)")
            #expect(try await client.call(.put, path, token: world.manager, json: ["state": "qualified"]).object["state"] as? String == "qualified")
            let claimed = try await client.call(.post, "\(project)/tasks/claim", token: world.annotator)
            let realTask = try #require(claimed.object["id"] as? Int64)
            #expect(claimed.status == .ok && !tests.contains(realTask))
            // Made an applicant again while holding real work: it cannot be handed in (nor paid).
            #expect(try await client.call(.put, path, token: world.manager, json: ["state": "applicant"]).status == .ok)
            let held = try await client.call(.post, "/api/v1/tasks/\(realTask)/submit", token: world.annotator)
            #expect(held.status == .forbidden && held.reason.contains("not qualified"), "\(held.text)")
            #expect(try await client.call(.put, path, token: world.manager, json: ["state": "removed"]).status == .ok)
            let removed = try await client.call(.post, "/api/v1/tasks/\(realTask)/submit", token: world.annotator)
            #expect(removed.status == .forbidden && removed.reason.contains("removed"), "\(removed.text)")

            // Every change is in the audit trail.
            let audit = try await client.call(.get, "\(project)/audit?limit=5000", token: world.manager).array
            let changes = audit.filter { $0["action"] as? String == "annotator.standing" }
            #expect(changes.count == 7, "applicant, removed, qualified, applicant again, qualified, applicant, removed: \(changes.count)")
        }
    }
}
