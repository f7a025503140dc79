import Foundation
import Testing
import SwathExport
import SwathGeo
import SwathLabels
import HummingbirdTesting
import SwathTestSupport

/// Pay and remediation by hand on the four tasks of project A: rate × accepted
/// work, the gold bonus, nothing for rejected work, statements, a payout that
/// closes a period, and a remediation that reopens exactly its tasks, reverses
/// exactly the unpaid entries, leaves new releases without the old work and an
/// earlier release exporting byte for byte as before.
@Suite struct PayRouteTests {
    /// 1_790_000_000: 2026-09-21 14:13:20 UTC.
    static let day = "2026-09-21"

    @Test func ledgerStatementsPayoutsAndRemediation() async throws {
        let world = try await TestWorld.make()
        let annotatorId = try await world.service.authenticate(token: world.annotator).id
        let annotator2Id = try await world.service.authenticate(token: world.annotator2).id
        let outsiderId = try await world.service.authenticate(token: world.outsider).id
        try await world.test { client in
            let project = "/api/v1/projects/\(world.projectA)"
            for (bad, field) in [(["currency": "USD", "perTask": -1], "pay.perTask"), (["currency": "USD", "perLabel": 12.5], "perLabel"),
                                 (["currency": "usd"], "pay.currency"), (["currency": "USD", "bonusBands": [["minimumGoldF1": 0.9, "percent": 101]]],
                                                                         "pay.bonusBands[0].percent")] as [([String: Any], String)] {
                let reply = try await client.call(.patch, "\(project)/settings", token: world.manager, json: ["pay": bad])
                #expect(reply.status == .badRequest && reply.text.contains(field), "\(bad): \(reply.text)")
            }
            let rates: [String: Any] = ["currency": "USD", "perTask": 150, "perLabel": 20, "perHour": 1200,
                                        "bonusBands": [["minimumGoldF1": 0.9, "percent": 10], ["minimumGoldF1": 0.5, "percent": 5]]]
            #expect(try await client.call(.patch, "\(project)/settings", token: world.manager,
                                          json: ["pay": rates, "goldRate": 0, "goldWindow": 1, "goldMinimum": 1, "leaseSeconds": 7200]).status == .ok)
            let gold = world.tasksA[3].id
            #expect(try await client.call(.put, "/api/v1/tasks/\(gold)/gold?crs=pixel", token: world.manager,
                                          json: featureCollection([pixelSquare(10, 10, 40)])).status == .ok)

            // Annotator: 30 minutes, two labels, accepted → 150 + 2 × 20 + 1200 × 0.5 = 790; no gold, no bonus.
            let first = try await work(client, world, token: world.annotator, seconds: 1800, squares: 2, accept: true)
            // Annotator 2: gold at F1 1 (one pixel off), then 10 minutes and one label → 150 + 20 + 200 = 370, 10 % bonus = 37.
            _ = try await client.call(.patch, "\(project)/settings", token: world.manager, json: ["goldRate": 1])
            let goldClaim = try await client.call(.post, "\(project)/tasks/claim", token: world.annotator2)
            #expect(goldClaim.object["id"] as? Int64 == gold)
            _ = try await client.call(.put, "/api/v1/tasks/\(gold)/labels?crs=pixel", token: world.annotator2,
                                      json: featureCollection([pixelSquare(11, 10, 40)]))
            _ = try await client.call(.post, "/api/v1/tasks/\(gold)/submit", token: world.annotator2)
            _ = try await client.call(.patch, "\(project)/settings", token: world.manager, json: ["goldRate": 0])
            let second = try await work(client, world, token: world.annotator2, seconds: 600, squares: 1, accept: true)
            // Rejected work earns nothing.
            let rejected = try await work(client, world, token: world.annotator, seconds: 900, squares: 1, accept: false)

            let mine = try await world.service.store.payEntries(projectId: world.projectA, userId: annotatorId)
            #expect(mine.map(\.amount) == [790] && mine.map(\.taskId) == [first] && mine[0].labels == 2 && mine[0].seconds == 1800)
            let theirs = try await world.service.store.payEntries(projectId: world.projectA, userId: annotator2Id)
            #expect(theirs.map(\.amount) == [370, 37] && theirs.map(\.cause) == [.acceptance, .bonus] && theirs.allSatisfy { $0.taskId == second })
            #expect(try await world.service.store.payEntries(projectId: world.projectA, userId: annotatorId).allSatisfy { $0.taskId != rejected })

            // Statements.
            let earnings = try await client.call(.get, "/api/v1/me/earnings?from=\(Self.day)&to=\(Self.day)", token: world.annotator2).object
            let days = try #require(earnings["days"] as? [[String: Any]])
            #expect(days.count == 1 && days[0]["acceptance"] as? Int == 370 && days[0]["bonus"] as? Int == 37 && days[0]["approved"] as? Int == 407
                    && days[0]["pending"] as? Int == 407 && days[0]["paid"] as? Int == 0 && days[0]["project"] as? String == "BLUEJAY")
            #expect(!String(describing: earnings).contains("Acme"), "the workforce sees codenames only")
            #expect(try await client.call(.get, "/api/v1/me/earnings?from=2026-13-01&to=\(Self.day)", token: world.annotator).reason.contains("from"))
            #expect(try await client.call(.get, "\(project)/payroll?from=\(Self.day)&to=\(Self.day)", token: world.annotator).status == .forbidden)
            #expect(try await client.call(.get, "\(project)/payroll?from=\(Self.day)&to=\(Self.day)", token: world.outsider).status == .notFound)
            #expect(try await client.call(.get, "\(project)/payroll?from=\(Self.day)&to=\(Self.day)&format=xml", token: world.manager)
                .status == .badRequest)
            let payroll = try await client.call(.get, "\(project)/payroll?from=\(Self.day)&to=\(Self.day)", token: world.manager).object
            #expect(payroll["total"] as? Int == 1197 && payroll["unpaid"] as? Int == 1197 && payroll["currency"] as? String == "USD")
            let csv = try await client.call(.get, "\(project)/payroll?from=\(Self.day)&to=\(Self.day)&format=csv", token: world.manager).text
            #expect(csv.contains("annotator,\(annotatorId),ann annotator,,USD,1,2,0.500,790,0,0,790,0,790\n"), "\(csv)")
            #expect(csv.hasSuffix("total,,,,USD,,,,,,,1197,0,1197\n"), "\(csv)")

            // A payout closes a period once it has ended; periods never overlap.
            let payouts = "\(project)/payouts"
            let open = try await client.call(.post, payouts, token: world.manager, json: ["from": Self.day, "to": Self.day])
            #expect(open.status == .conflict && open.reason.contains("still open"), "\(open.text)")
            #expect(try await client.call(.post, payouts, token: world.annotator, json: ["from": Self.day, "to": Self.day]).status == .forbidden)
            world.clock.advance(seconds: 2 * 86_400)
            let closed = try await client.call(.post, payouts, token: world.manager, json: ["from": Self.day, "to": Self.day])
            #expect(closed.status == .created && closed.object["total"] as? Int == 1197 && closed.object["entries"] as? Int == 3, "\(closed.text)")
            let overlapping = try await client.call(.post, payouts, token: world.manager, json: ["from": "2026-09-20", "to": Self.day])
            #expect(overlapping.status == .conflict && overlapping.reason.contains("overlaps"))
            #expect(try await client.call(.post, payouts, token: world.manager, json: ["from": Self.day, "to": "2026-09-20"]).status == .badRequest)
            let paid = try await client.call(.get, "/api/v1/me/earnings?from=\(Self.day)&to=\(Self.day)", token: world.annotator).object
            #expect((paid["totals"] as? [[String: Any]])?.first?["paid"] as? Int == 790 && (paid["totals"] as? [[String: Any]])?.first?["pending"] as? Int == 0)

            // Two days later annotator 2 takes the rejected task: 5 minutes, one label → 150 + 20 + 100 = 270, bonus 27, unpaid.
            let third = try await work(client, world, token: world.annotator2, seconds: 300, squares: 1, accept: true)
            #expect(third == rejected)

            // A release before the remediation, exported.
            let v1 = try await client.call(.post, "\(project)/releases", token: world.manager, json: ["name": "v1", "chipSize": 128])
            let v1Id = try #require(v1.object["id"] as? Int64)
            #expect(v1.object["labelCount"] as? Int == 4)
            let before = world.directory.url.appendingPathComponent("v1-before")
            _ = try await ReleaseExporter(service: world.service, releaseId: v1Id).run(into: before, by: .commandLine)

            // Bad selections change nothing.
            let remediations = "\(project)/remediations"
            for (body, named) in [([:], "selection"), (["annotators": [outsiderId]], "annotators"), (["cohortId": 999], "cohortId"),
                                  (["annotators": [annotator2Id], "flagKind": "nope"], "flagKind"),
                                  (["annotators": [annotator2Id], "flagKind": "implausible_speed"], "matches no accepted work"),
                                  (["annotators": [annotator2Id], "from": "2030-01-01T00:00:00Z"], "matches no accepted work"),
                                  (["annotators": [1.5]], "annotators"),
                                  // Read exactly, never through a Double: 2⁶⁰ + 1 is named as sent.
                                  (["annotators": [1_152_921_504_606_846_977]], "user 1152921504606846977 is not an annotator")]
                as [([String: Any], String)] {
                let reply = try await client.call(.post, remediations, token: world.manager, json: body)
                #expect(reply.status == .badRequest && reply.text.contains(named), "\(body): \(reply.text)")
            }
            #expect(try await client.call(.post, remediations, token: world.annotator, json: ["annotators": [annotator2Id]]).status == .forbidden)
            #expect(try await client.call(.post, remediations, token: world.outsider, json: ["annotators": [annotator2Id]]).status == .notFound)
            #expect(try await world.service.store.payEntries(projectId: world.projectA, userId: annotator2Id).count == 4)

            // Remediate annotator 2: exactly their two accepted tasks; the unpaid 270 + 27 reversed, the paid 407 shown.
            let done = try await client.call(.post, remediations, token: world.manager, json: ["annotators": [annotator2Id]])
            #expect(done.status == .created, "\(done.text)")
            #expect(done.object["tasks"] as? [Int64] == [second, third].sorted() && done.object["labels"] as? Int == 2)
            #expect(done.object["annotators"] as? [Int64] == [annotator2Id] && done.object["excluded"] as? [Int64] == [annotator2Id])
            #expect(done.object["reversed"] as? Int == 297 && done.object["reversedEntries"] as? Int == 2 && done.object["alreadyPaid"] as? Int == 407)
            let ledger = try await world.service.store.payEntries(projectId: world.projectA, userId: annotator2Id)
            #expect(ledger.map(\.amount) == [370, 37, 270, 27, -270, -27] && ledger.suffix(2).allSatisfy { $0.cause == .reversal })
            #expect(ledger.reduce(0) { $0 + $1.amount } == 407, "net = what was paid")
            #expect(ledger[4].createdAt == ledger[2].createdAt && ledger[5].createdAt == ledger[3].createdAt,
                    "a reversal is dated as the entry it takes back: the period that would pay it nets it")
            #expect(try await world.service.store.payEntries(projectId: world.projectA, userId: annotatorId).map(\.amount) == [790])
            for task in [second, third] { #expect(try await world.service.store.task(id: task)?.status == .open) }
            #expect(try await world.service.store.task(id: first)?.status == .accepted)
            let again = try await client.call(.post, remediations, token: world.manager, json: ["annotators": [annotator2Id]])
            #expect(again.status == .badRequest && again.reason.contains("matches no accepted work"))

            // Fresh annotators only: annotator 2 is kept off both tasks, annotator 1 gets one.
            #expect(try await client.call(.post, "\(project)/tasks/claim", token: world.annotator2).status == .noContent)
            let fresh = try await client.call(.post, "\(project)/tasks/claim", token: world.annotator)
            #expect([second, third].contains(fresh.object["id"] as? Int64 ?? 0), "\(fresh.text)")

            // The next release has only the work still accepted; v1 exports exactly as before.
            let v2 = try await client.call(.post, "\(project)/releases", token: world.manager, json: ["name": "v2", "chipSize": 128])
            let v2Id = try #require(v2.object["id"] as? Int64)
            #expect(v2.object["labelCount"] as? Int == 2)
            let diff = try await client.call(.get, "/api/v1/releases/\(v1Id)/diff/\(v2Id)", token: world.manager).object
            let counts = try #require(diff["labels"] as? [String: Int])
            #expect(counts["removed"] == 2 && counts["unchanged"] == 2 && counts["added"] == 0, "\(counts)")
            let after = world.directory.url.appendingPathComponent("v1-after")
            _ = try await ReleaseExporter(service: world.service, releaseId: v1Id).run(into: after, by: .commandLine)
            let (a, b) = (try files(before), try files(after))
            #expect(a.count > 3 && a == b, "v1 re-exported byte for byte")

            // Audit: the remediation and each reopened task.
            let audit = try await client.call(.get, "\(project)/audit?limit=5000", token: world.manager).array.compactMap { $0["action"] as? String }
            #expect(audit.filter { $0 == "task.remediated" }.count == 2 && audit.contains("remediation.created") && audit.contains("payout.closed"))
        }
    }

    /// A consensus task (k = 2) accepted without review pays both turns; remediating one annotator reopens it for
    /// fresh annotators (both are kept off it), moves the consensus and both turns' sets to history, and reverses
    /// only the selected annotator's pay.
    @Test func remediatingAConsensusTaskKeepsEveryoneWhoWorkedItOff() async throws {
        let world = try await TestWorld.make()
        let annotatorId = try await world.service.authenticate(token: world.annotator).id
        let annotator2Id = try await world.service.authenticate(token: world.annotator2).id
        try await world.test { client in
            let project = "/api/v1/projects/\(world.projectA)"
            #expect(try await client.call(.patch, "\(project)/settings", token: world.manager,
                                          json: ["labelsPerTask": 2, "goldRate": 0, "pay": ["currency": "EUR", "perTask": 100]]).status == .ok)
            // The other tasks gold (never served at goldRate 0): both annotators get the one task left.
            for other in world.tasksA.dropFirst() {
                #expect(try await client.call(.put, "/api/v1/tasks/\(other.id)/gold?crs=pixel", token: world.manager,
                                              json: featureCollection([pixelSquare(10, 10, 20)])).status == .ok)
            }
            var task: Int64 = 0
            for token in [world.annotator, world.annotator2] {
                let claim = try await client.call(.post, "\(project)/tasks/claim", token: token)
                task = try #require(claim.object["id"] as? Int64)
                world.clock.advance(seconds: 300)
                _ = try await client.call(.put, "/api/v1/tasks/\(task)/labels?crs=pixel", token: token, json: featureCollection([pixelSquare(10, 10, 40)]))
                #expect(try await client.call(.post, "/api/v1/tasks/\(task)/submit", token: token).status == .ok)
            }
            #expect(try await world.service.store.task(id: task)?.status == .accepted, "identical sets agree: accepted without review")
            #expect(try await world.service.store.payEntries(projectId: world.projectA, userId: annotatorId).map(\.amount) == [100])
            #expect(try await world.service.store.payEntries(projectId: world.projectA, userId: annotator2Id).map(\.amount) == [100])

            let done = try await client.call(.post, "\(project)/remediations", token: world.manager, json: ["annotators": [annotatorId]])
            #expect(done.status == .created, "\(done.text)")
            #expect(done.object["tasks"] as? [Int64] == [task] && done.object["annotators"] as? [Int64] == [annotatorId])
            #expect(done.object["excluded"] as? [Int64] == [annotatorId, annotator2Id].sorted())
            #expect(done.object["labels"] as? Int == 3, "the consensus and both turns' own sets: \(done.text)")
            #expect(done.object["reversed"] as? Int == 100 && done.object["currency"] as? String == "EUR")
            #expect(try await world.service.store.payEntries(projectId: world.projectA, userId: annotator2Id).map(\.amount) == [100],
                    "work outside the selection keeps its pay")
            #expect(try await world.service.store.task(id: task)?.status == .open)
            #expect(try await world.service.store.assignments(taskId: task).allSatisfy { $0.status == .remediated })
            for token in [world.annotator, world.annotator2] {
                #expect(try await client.call(.post, "\(project)/tasks/claim", token: token).status == .noContent,
                        "everyone who worked it is kept off it")
            }
        }
    }

    /// Claims a real task as `token`, spends `seconds` on it by the server's clock, saves `squares` squares, submits, and has it
    /// accepted or rejected; returns the task.
    private func work(_ client: any TestClientProtocol, _ world: TestWorld, token: String, seconds: Double, squares: Int,
                      accept: Bool) async throws -> Int64 {
        let claim = try await client.call(.post, "/api/v1/projects/\(world.projectA)/tasks/claim", token: token)
        let task = try #require(claim.object["id"] as? Int64, "\(claim.text)")
        world.clock.advance(seconds: seconds)
        let rings = (0..<squares).map { pixelSquare(10 + Double($0) * 50, 10, 30) }
        let saved = try await client.call(.put, "/api/v1/tasks/\(task)/labels?crs=pixel", token: token, json: featureCollection(rings))
        #expect(saved.status == .ok, "\(saved.text)")
        #expect(try await client.call(.post, "/api/v1/tasks/\(task)/submit", token: token).status == .ok)
        let review: [String: Any] = accept ? ["decision": "accept"] : ["decision": "reject", "comment": "outline the roofs"]
        let reply = try await client.call(.post, "/api/v1/tasks/\(task)/review", token: world.reviewer, json: review)
        #expect(reply.status == .ok, "\(reply.text)")
        return task
    }

    private func files(_ folder: URL) throws -> [String: Data] {
        var found: [String: Data] = [:]
        let base = folder.standardizedFileURL.path
        for case let url as URL in FileManager.default.enumerator(at: folder, includingPropertiesForKeys: nil) ?? .init() {
            var isFolder: ObjCBool = false
            guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isFolder), !isFolder.boolValue else { continue }
            found[String(url.standardizedFileURL.path.dropFirst(base.count + 1))] = try Data(contentsOf: url)
        }
        return found
    }
}
