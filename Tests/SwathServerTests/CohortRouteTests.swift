import Foundation
import HummingbirdTesting
import Testing
import SwathGeo
import SwathLabels
import SwathTestSupport

/// Cohorts: admins make them and place annotators; the quality report's
/// cohort view and the payroll's cohort lines, checked by hand on a small
/// project; managers see codenames, never the vendor.
@Suite struct CohortRouteTests {
    @Test func cohortFiguresAndPayrollByCohort() async throws {
        let world = try await TestWorld.make()
        let annotatorId = try await world.service.authenticate(token: world.annotator).id
        let annotator2Id = try await world.service.authenticate(token: world.annotator2).id
        try await world.test { client in
            #expect(try await client.call(.post, "/api/v1/cohorts", token: world.manager, json: ["codename": "NORTH"]).status == .forbidden)
            #expect(try await client.call(.post, "/api/v1/cohorts", token: world.admin, json: ["codename": ""]).status == .badRequest)
            let north = try await client.call(.post, "/api/v1/cohorts", token: world.admin, json: ["codename": "NORTH", "vendor": "Vendor Staffing Ltd"])
            let northId = try #require(north.object["id"] as? Int64)
            #expect(try await client.call(.post, "/api/v1/cohorts", token: world.admin, json: ["codename": "NORTH"]).status == .conflict)
            let southId = try #require(try await client.call(.post, "/api/v1/cohorts", token: world.admin, json: ["codename": "SOUTH"])
                .object["id"] as? Int64)
            #expect(try await client.call(.get, "/api/v1/cohorts", token: world.manager).status == .forbidden)
            #expect(try await client.call(.put, "/api/v1/users/\(annotatorId)/cohort", token: world.manager, json: ["cohortId": northId])
                .status == .forbidden)
            #expect(try await client.call(.put, "/api/v1/users/\(annotatorId)/cohort", token: world.admin, json: ["cohortId": 999]).status == .notFound)
            #expect(try await client.call(.put, "/api/v1/users/999/cohort", token: world.admin, json: ["cohortId": northId]).status == .notFound)
            #expect(try await client.call(.put, "/api/v1/users/\(annotatorId)/cohort", token: world.admin, json: ["cohortId": southId]).status == .ok)
            #expect(try await client.call(.put, "/api/v1/users/\(annotatorId)/cohort", token: world.admin, json: ["cohortId": northId]).status == .ok,
                    "moving to another cohort")
            #expect(try await client.call(.put, "/api/v1/users/\(annotator2Id)/cohort", token: world.admin, json: ["cohortId": southId]).status == .ok)

            let project = "/api/v1/projects/\(world.projectA)"
            #expect(try await client.call(.patch, "\(project)/settings", token: world.manager,
                                          json: ["goldRate": 1, "leaseSeconds": 7200, "pay": ["currency": "EUR", "perTask": 100]]).status == .ok)
            let gold = world.tasksA[3].id
            #expect(try await client.call(.put, "/api/v1/tasks/\(gold)/gold?crs=pixel", token: world.manager,
                                          json: featureCollection([pixelSquare(10, 10, 40)])).status == .ok)
            // Gold: NORTH's annotator misses (F1 0), SOUTH's hits (F1 1).
            for (token, square) in [(world.annotator, pixelSquare(80, 80, 20)), (world.annotator2, pixelSquare(11, 10, 40))] {
                let claim = try await client.call(.post, "\(project)/tasks/claim", token: token)
                #expect(claim.object["id"] as? Int64 == gold)
                _ = try await client.call(.put, "/api/v1/tasks/\(gold)/labels?crs=pixel", token: token, json: featureCollection([square]))
                _ = try await client.call(.post, "/api/v1/tasks/\(gold)/submit", token: token)
            }
            _ = try await client.call(.patch, "\(project)/settings", token: world.manager, json: ["goldRate": 0])
            // NORTH: one accepted, one rejected; SOUTH: one accepted.
            for (token, accept) in [(world.annotator, true), (world.annotator, false), (world.annotator2, true)] {
                let task = try #require(try await client.call(.post, "\(project)/tasks/claim", token: token).object["id"] as? Int64)
                world.clock.advance(seconds: 600)
                _ = try await client.call(.put, "/api/v1/tasks/\(task)/labels?crs=pixel", token: token,
                                          json: featureCollection([pixelSquare(20, 20, 30)]))
                _ = try await client.call(.post, "/api/v1/tasks/\(task)/submit", token: token)
                let review: [String: Any] = accept ? ["decision": "accept"] : ["decision": "reject", "comment": "too loose"]
                #expect(try await client.call(.post, "/api/v1/tasks/\(task)/review", token: world.reviewer, json: review).status == .ok)
            }

            let report = try await client.call(.get, "\(project)/quality", token: world.manager)
            #expect(!report.text.contains("Vendor Staffing"), "managers see the codename only")
            let cohorts = try #require(report.object["cohorts"] as? [[String: Any]])
            let byName = Dictionary(uniqueKeysWithValues: cohorts.compactMap { c in (c["cohort"] as? String).map { ($0, c) } })
            let northFigures = try #require(byName["NORTH"]?["figures"] as? [String: Any])
            let southFigures = try #require(byName["SOUTH"]?["figures"] as? [String: Any])
            // NORTH handed in the gold task, one accepted and one rejected task: 1 sent back of 3.
            #expect(northFigures["tasks"] as? Int == 3 && northFigures["goldF1"] as? Double == 0 && northFigures["goldTasks"] as? Int == 1)
            #expect(abs((northFigures["reworkRate"] as? Double ?? -1) - 1.0 / 3.0) < 1e-12)
            #expect(southFigures["tasks"] as? Int == 2 && southFigures["goldF1"] as? Double == 1 && southFigures["reworkRate"] as? Double == 0)
            let flags = report.object["flags"] as? [[String: Any]] ?? []
            let northFlagged = Set(flags.filter { $0["userId"] as? Int64 == annotatorId }.compactMap { $0["taskId"] as? Int64 }).count
            #expect(northFigures["flagRate"] as? Double == Double(northFlagged) / 3)
            let weeks = try #require(byName["NORTH"]?["weeks"] as? [[String: Any]])
            #expect(weeks.count == 1 && weeks[0]["week"] as? String == "2026-09-21" && weeks[0]["tasks"] as? Int == 3, "\(weeks)")
            #expect(byName["NORTH"]?["highlighted"] as? Bool == false, "one task each: nothing is sure")

            // Payroll: each cohort's line is its annotators' pay; the lines add up to the total.
            let payroll = try await client.call(.get, "\(project)/payroll?from=2026-09-21&to=2026-09-21", token: world.manager).object
            let lines = try #require(payroll["cohorts"] as? [[String: Any]])
            #expect(lines.map { $0["cohort"] as? String } == ["NORTH", "SOUTH"] && lines.map { $0["net"] as? Int } == [100, 100])
            #expect(payroll["total"] as? Int == 200)

            // An annotator's own gold accuracy counts results from before today (UTC): a figure that moved right
            // after a submission would say which task was gold.
            let sameDay = try await client.call(.get, "\(project)/me", token: world.annotator2).object
            #expect(sameDay["goldTasks"] as? Int == 0 && sameDay["goldF1"] == nil, "\(sameDay)")
            world.clock.advance(seconds: 86_400)
            let nextDay = try await client.call(.get, "\(project)/me", token: world.annotator2).object
            #expect(nextDay["goldTasks"] as? Int == 1 && nextDay["goldF1"] as? Double == 1, "\(nextDay)")
        }
    }
}
