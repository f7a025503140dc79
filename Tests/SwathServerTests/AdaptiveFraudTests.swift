import Foundation
import Testing
import SwathGeo
import SwathLabels
import SwathTestSupport
import HummingbirdTesting
import HTTPTypes

/// Fraud that adapts, through the real routes: a polygonized mask handed in
/// as drawn (flagged), its hand tracing (not), a jittered and restarted copy
/// (flagged), the same object redrawn by a co-annotator (not), the risk
/// ranking and the audit queue, and their settings refused out of range.
@Suite struct AdaptiveFraudTests {
    /// A burn scar of 16 lobes, about 100 px across, centred in a 128-pixel tile (tile pixels).
    static let scar = scaledScar(1.6)

    static func scaledScar(_ scale: Double) -> [[Double]] {
        (0..<16).map { index in
        let reach = scale * [30.0, 22, 27, 14, 25, 31, 18, 26, 12, 24, 29, 20, 16, 28, 23, 19][index]
        let angle = 2 * Double.pi * Double(index) / 16
        return [64.3 + reach * cos(angle), 63.8 - reach * sin(angle)]
        }
    }

    /// A deterministic Gaussian (Box–Muller over a linear congruence) for jitter.
    struct Jitter {
        var state: UInt64
        mutating func next() -> Double {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            let u = max(Double(state >> 11) / Double(1 << 53), 1e-12)
            state = state &* 6364136223846793005 &+ 1442695040888963407
            let v = Double(state >> 11) / Double(1 << 53)
            return (-2 * log(u)).squareRoot() * cos(2 * .pi * v)
        }
    }

    static func body(_ rings: [[[Double]]], seconds: Double = 90) -> [String: Any] {
        ["type": "FeatureCollection", "features": rings.map { ring in
            ["type": "Feature", "geometry": ["type": "Polygon", "coordinates": [ring + [ring[0]]]],
             "properties": ["class": "high severity", "secondsSpent": seconds]] as [String: Any]
        }]
    }

    /// Claims the next task (or `only` that one), saves `rings` in tile pixels, advances the clock and submits; the task's id.
    static func work(_ rings: [[[Double]]], world: TestWorld, client: any TestClientProtocol, token: String, only: Int? = nil) async throws -> Int {
        let user = try await world.service.authenticate(token: token)
        let others = Set(world.tasksA.map(\.id).filter { only != nil && Int($0) != only })
        let task = try #require(try await world.service.claim(projectId: world.projectA, skipping: others, by: user))
        let saved = try await client.call(.put, "/api/v1/tasks/\(task.id)/labels?crs=pixel", token: token, json: body(rings))
        #expect(saved.status == .ok, "\(saved.text)")
        world.clock.advance(seconds: 120)
        #expect(try await client.call(.post, "/api/v1/tasks/\(task.id)/submit", token: token).status == .ok)
        return Int(task.id)
    }

    static func flags(_ world: TestWorld, client: any TestClientProtocol) async throws -> [[String: Any]] {
        let reply = try await client.call(.get, "/api/v1/projects/\(world.projectA)/quality", token: world.manager)
        return try #require(reply.object["flags"] as? [[String: Any]])
    }

    /// GDAL's polygonize of the scar burned into a mask: what a threshold-and-polygonize script hands in.
    static func polygonizedScar(_ scar: [[Double]] = scar) throws -> [[Double]] {
        let mask = try Raster.inMemory(size: Size(width: 128, height: 128), bandCount: 1, dataType: .byte)
        try mask.setGeoTransform(GeoTransform(originX: 0, pixelWidth: 1, originY: 0, pixelHeight: 1))
        var values = [UInt8](repeating: 0, count: 128 * 128)
        for row in 0..<128 { for col in 0..<128 where inside(scar, Double(col) + 0.5, Double(row) + 0.5) { values[row * 128 + col] = 1 } }
        try mask.write(values, window: Window(col: 0, row: 0, width: 128, height: 128))
        let regions = try mask.polygonize()
        let ring = try #require(regions.first?.shape.polygons.first?.rings.first)
        return ring.dropLast().map { [$0.x, $0.y] }
    }

    static func inside(_ ring: [[Double]], _ x: Double, _ y: Double) -> Bool {
        var inside = false
        for index in ring.indices {
            let a = ring[index], b = ring[(index + 1) % ring.count]
            if (a[1] > y) != (b[1] > y), x < (b[0] - a[0]) * (y - a[1]) / (b[1] - a[1]) + a[0] { inside.toggle() }
        }
        return inside
    }

    @Test func polygonizedMaskIsMachineMadeAndAHandTracingIsNot() async throws {
        let world = try await TestWorld.make()
        let polygonized = try Self.polygonizedScar()
        #expect(polygonized.count > 40)
        var jitter = Jitter(state: 5)
        let traced = Self.scar.map { [$0[0] + 0.7 * jitter.next(), $0[1] + 0.7 * jitter.next()] }
        try await world.test { client in
            let handTask = try await Self.work([traced], world: world, client: client, token: world.annotator)
            let scriptTask = try await Self.work([polygonized], world: world, client: client, token: world.annotator2)
            let flags = try await Self.flags(world, client: client)
            let machine = flags.filter { $0["kind"] as? String == "machine_made" }
            #expect(machine.count == 1 && machine.first?["taskId"] as? Int == scriptTask)
            #expect((machine.first?["evidence"] as? String)?.contains("vertices lie on pixel corners") == true)
            #expect((machine.first?["evidence"] as? String)?.contains("by the server's clock") == true)
            #expect(!flags.contains { $0["taskId"] as? Int == handTask })
        }
    }

    @Test func jitteredRestartedCopyIsFlaggedAndACoAnnotatorsRedrawIsNot() async throws {
        let world = try await TestWorld.make()
        try await world.test { client in
            // Two whole 128-pixel tiles (the fixture's lower row is cut to 64 rows, which would clip the scar).
            let whole = world.tasksA.filter { $0.window.width == 128 && $0.window.height == 128 }.map { Int($0.id) }
            #expect(whole.count == 2)
            let original = try await Self.work([Self.scar], world: world, client: client, token: world.annotator, only: whole[0])
            // The copy: each vertex jittered by 1.5 px, started at vertex 5, run the other way, moved 2 px.
            var jitter = Jitter(state: 11)
            let moved = Self.scar.map { [$0[0] + 2 + 1.5 * jitter.next(), $0[1] - 1 + 1.5 * jitter.next()] }
            let copy = Array((moved[5...] + moved[..<5]).reversed())
            let copied = try await Self.work([copy], world: world, client: client, token: world.annotator, only: whole[1])
            let flags = try await Self.flags(world, client: client)
            let found = flags.filter { $0["kind"] as? String == "copied_geometry" }
            #expect(found.count == 1 && found.first?["taskId"] as? Int == copied, "\(flags)")
            #expect((found.first?["evidence"] as? String)?.contains("in task \(original)") == true)
        }
    }

    @Test func coAnnotatorsRedrawingTheSameObjectAreNotCopies() async throws {
        let world = try await TestWorld.make()
        try await world.test { client in
            let changed = try await client.call(.patch, "/api/v1/projects/\(world.projectA)/settings", token: world.manager,
                                                json: ["labelsPerTask": 2, "goldRate": 0])
            #expect(changed.status == .ok, "\(changed.text)")
            var jitter = Jitter(state: 3)
            let first = Self.scar.map { [$0[0] + jitter.next(), $0[1] + jitter.next()] }
            let second = Self.scar.map { [$0[0] + jitter.next(), $0[1] + jitter.next()] }
            let whole = try #require(world.tasksA.first { $0.window.width == 128 && $0.window.height == 128 }.map { Int($0.id) })
            let a = try await Self.work([first], world: world, client: client, token: world.annotator, only: whole)
            let b = try await Self.work([second], world: world, client: client, token: world.annotator2, only: a)
            #expect(a == b)  // the same consensus task
            let flags = try await Self.flags(world, client: client)
            #expect(!flags.contains { ["copied_geometry", "collusion", "machine_made"].contains($0["kind"] as? String) }, "\(flags)")
        }
    }

    @Test func riskRanksAnnotatorsAndTheAuditQueueSamplesTheRiskiest() async throws {
        let world = try await TestWorld.make()
        // Three different masks (areas far apart), so only the polygonize texture links them.
        let masks = try [1.6, 1.15, 0.8].map { try Self.polygonizedScar(Self.scaledScar($0)) }
        try await world.test { client in
            var tasks: [Int] = []
            for mask in masks { tasks.append(try await Self.work([mask], world: world, client: client, token: world.annotator2)) }
            // The honest annotator draws a field (a hand's rectangle, nothing like the masks).
            let honest = try await Self.work([[[10.3, 12.1], [50.7, 11.4], [51.2, 40.8], [9.6, 41.3]]], world: world, client: client,
                                             token: world.annotator)
            let reviewer = try await world.service.authenticate(token: world.reviewer)
            for task in tasks + [honest] { _ = try await world.service.review(taskId: TaskID(task), decision: .accept, comment: nil, by: reviewer) }
            let report = try await client.call(.get, "/api/v1/projects/\(world.projectA)/quality", token: world.manager)
            let annotators = try #require(report.object["annotators"] as? [[String: Any]])
            let risks = annotators.map { $0["risk"] as? Double ?? -1 }
            #expect(risks == risks.sorted(by: >), "ranked riskiest first: \(risks)")
            let risky = try #require(annotators.first)
            #expect(annotators.count == 2 && (annotators.last?["risk"] as? Double) == 0, "\(annotators)")
            // Three tasks flagged machine_made, weight 1.5 each: 1 − e^(−4.5).
            #expect(abs((risky["risk"] as? Double ?? 0) - (1 - exp(-4.5))) < 1e-9, "\(risky)")
            #expect((risky["riskEvidence"] as? [String])?.first == "machine_made on 3 tasks (+4.50)")
            #expect((risky["weeks"] as? [[String: Any]])?.first?["tasks"] as? Int == 3)
            let audit = try await client.call(.get, "/api/v1/projects/\(world.projectA)/audit-queue", token: world.manager)
            #expect(audit.status == .ok)
            let entries = try #require(audit.object["annotators"] as? [[String: Any]])
            #expect(entries.count == 1 && entries[0]["acceptedTasks"] as? Int == 3)
            // 10% of 3 accepted tasks, rounded up: one, and one of theirs; the same on every request.
            let sampled = try #require(entries[0]["sampledTasks"] as? [Int])
            #expect(sampled.count == 1 && tasks.contains(sampled[0]))
            let again = try await client.call(.get, "/api/v1/projects/\(world.projectA)/audit-queue", token: world.manager)
            #expect(((again.object["annotators"] as? [[String: Any]])?.first?["sampledTasks"] as? [Int]) == sampled)
            #expect(try await client.call(.get, "/api/v1/projects/\(world.projectA)/audit-queue", token: world.annotator).status == .forbidden)
            #expect(try await client.call(.get, "/api/v1/projects/\(world.projectA)/audit-queue", token: world.outsider).status == .notFound)
        }
    }

    @Test func riskAndAuditSettingsOutOfRangeAreRefusedByName() async throws {
        let world = try await TestWorld.make()
        try await world.test { client in
            func refused(_ change: [String: Any], naming field: String) async throws {
                let reply = try await client.call(.patch, "/api/v1/projects/\(world.projectA)/settings", token: world.manager, json: change)
                #expect(reply.status == .badRequest && reply.text.contains(field), "\(change): \(reply.status) \(reply.text)")
            }
            try await refused(["riskWeights": ["flags": ["copied_geometry": 11]]], naming: "riskWeights.flags.copied_geometry")
            try await refused(["riskWeights": ["flags": ["made_up": 1]]], naming: "made_up")
            try await refused(["riskWeights": ["goldShortfall": -1]], naming: "riskWeights.goldShortfall")
            try await refused(["auditShare": 0], naming: "auditShare")
            try await refused(["auditShare": 1.5], naming: "auditShare")
            try await refused(["auditRiskThreshold": 2], naming: "auditRiskThreshold")
            try await refused(["goldRate": 0.3, "goldRateCeiling": 0.2], naming: "goldRateCeiling")
            let accepted = try await client.call(.patch, "/api/v1/projects/\(world.projectA)/settings", token: world.manager,
                                                 json: ["riskWeights": ["flags": ["machine_made": 3]], "auditShare": 0.5])
            #expect(accepted.status == .ok, "\(accepted.text)")
            #expect(try await client.call(.patch, "/api/v1/projects/\(world.projectA)/settings", token: world.annotator,
                                          json: ["auditShare": 0.5]).status == .forbidden)
        }
    }
}
