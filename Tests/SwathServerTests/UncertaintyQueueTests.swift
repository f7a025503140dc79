import Foundation
import Testing
import SwathLabels
import SwathTestSupport

/// The queue served by a model's uncertainty (`queueOrder: uncertainty`), on every store.
@Suite struct UncertaintyQueueTests {
    /// Twelve tasks with hand-set uncertainties: claims come highest first, the two equal ones
    /// (0.90 and 0.904 rank alike, to a hundredth) before the rest in either order, tasks without a
    /// value last; switching back to `priority` ignores the values.
    @Test func claimsServeTheLeastCertainTasksFirst() async throws {
        let world = try await TestWorld.make(tileSize: 64)
        #expect(world.tasksA.count == 12)
        let ids = world.tasksA.map(\.id)
        let values: [TaskID: Double] = [ids[3]: 0.2, ids[7]: 0.90, ids[1]: 0.904, ids[5]: 0.55, ids[9]: 0.05, ids[0]: 0.7]
        let manager = try await world.service.authenticate(token: world.manager)
        #expect(try await world.service.recordUncertainty(sceneId: world.sceneA, values, model: "hand-made", by: manager) == 6)
        #expect(try await world.service.uncertainty(sceneId: world.sceneA, by: manager) == values)
        try await world.test { client in
            let settings = "/api/v1/projects/\(world.projectA)/settings"
            #expect(try await client.call(.patch, settings, token: world.manager, json: ["queueOrder": "bogus"]).status == .badRequest)
            #expect(try await client.call(.patch, settings, token: world.annotator, json: ["queueOrder": "uncertainty"]).status == .forbidden)
            let changed = try await client.call(.patch, settings, token: world.manager, json: ["queueOrder": "uncertainty"])
            #expect(changed.status == .ok && (changed.object["settings"] as? [String: Any])?["queueOrder"] as? String == "uncertainty")
            var served: [Int64] = []
            var current = values
            for _ in 0..<7 {
                let claim = try await client.call(.post, "/api/v1/projects/\(world.projectA)/tasks/claim", token: world.annotator)
                #expect(claim.status == .ok)
                let id = Int64(claim.object["id"] as! Int)
                served.append(id)
                #expect(try await client.call(.post, "/api/v1/tasks/\(id)/release", token: world.annotator).status == .ok)
                // A released task goes back to the queue: score what was served 0 so the order shows.
                current[id] = 0
                _ = try await world.service.recordUncertainty(sceneId: world.sceneA, current, model: "served", by: manager)
            }
            #expect(Set(served.prefix(2)) == [ids[1], ids[7]], "\(served)")
            #expect(Array(served[2...5]) == [ids[0], ids[5], ids[3], ids[9]], "\(served)")
            // What is left has no value recorded but those set to 0 above: a 0 ranks above "none".
            #expect(served.count == 7)
            _ = try await client.call(.patch, settings, token: world.manager, json: ["queueOrder": "priority"])
        }
        // A new model's values replace the last one's.
        #expect(try await world.service.recordUncertainty(sceneId: world.sceneA, [ids[2]: 0.3], model: "next", by: manager) == 1)
        #expect(try await world.service.uncertainty(sceneId: world.sceneA, by: manager) == [ids[2]: 0.3])
        // Uncertainty outside 0…1, or from a non-manager, is refused.
        await #expect(throws: LabelingError.self) {
            _ = try await world.service.recordUncertainty(sceneId: world.sceneA, [ids[2]: 1.5], model: "bad", by: manager)
        }
        let annotator = try await world.service.authenticate(token: world.annotator)
        await #expect(throws: LabelingError.self) {
            _ = try await world.service.recordUncertainty(sceneId: world.sceneA, [ids[2]: 0.5], model: "bad", by: annotator)
        }
    }
}
