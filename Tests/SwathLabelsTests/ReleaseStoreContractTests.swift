import Foundation
import Testing
import SwathGeo
import SwathLabels
import SwathTestSupport

/// What every store guarantees of releases and label lineage, on SQLite and on PostgreSQL:
/// a release is written once with its document, a name once per project, and never changed;
/// a label's history is its whole chain of versions.
@Suite struct ReleaseStoreContractTests {
    private func draft(_ world: ContractWorld, _ name: String, document: String = #"{"labels":[]}"#) -> ReleaseDraft {
        ReleaseDraft(projectId: world.projectId, name: name, labelCount: 3, chipCount: 2, digest: String(repeating: "a", count: 64),
                     document: document)
    }

    @Test(arguments: StoreKind.allCases)
    func releasesAreWrittenOnceAndNeverChanged(kind: StoreKind) async throws {
        let world = try await ContractWorld(kind, annotators: 0)
        let store = world.service.store
        let document = #"{"labels":[{"id":1,"geometryWKB":"AQYAAAA="}],"name":"v1 ünïcode"}"#
        let first = try await store.createRelease(draft(world, "v1", document: document), actor: nil, at: world.clock.now)
        world.clock.advance(5)
        let second = try await store.createRelease(draft(world, "v2"), actor: nil, at: world.clock.now)
        #expect(first.name == "v1" && first.labelCount == 3 && first.chipCount == 2 && first.createdAt == world.clock.now.addingTimeInterval(-5))
        #expect(try await store.release(id: first.id) == first)
        #expect(try await store.releaseDocument(id: first.id) == document, "the document comes back byte for byte")
        #expect(try await store.releases(projectId: world.projectId).map(\.id) == [first.id, second.id])
        let missing = try await store.release(id: 999), missingDocument = try await store.releaseDocument(id: 999)
        #expect(missing == nil && missingDocument == nil)
        await #expect(throws: LabelingError.conflict("the project already has a release named 'v1'")) {
            try await store.createRelease(draft(world, "v1"), actor: nil, at: world.clock.now)
        }
        for statement in ["UPDATE releases SET name = 'forged'", "DELETE FROM releases"] {
            #expect(throws: (any Error).self, "\(statement)") { try kind.rawSQL(statement, on: world.database) }
        }
        #expect(try await store.releases(projectId: world.projectId).map(\.name) == ["v1", "v2"])
        let audit = try await store.auditEvents(projectId: world.projectId, afterId: 0, limit: 100)
        #expect(audit.filter { $0.action == "release.created" }.count == 2)
    }

    /// Three saves of one task, each editing the label before (its id carried), then a fresh label:
    /// the chain is the three versions from whichever of them is asked; the fresh one stands alone.
    @Test(arguments: StoreKind.allCases)
    func aLabelsHistoryIsItsWholeChain(kind: StoreKind) async throws {
        let world = try await ContractWorld(kind, annotators: 1)
        let annotator = world.annotators[0]
        let task = try #require(try await world.service.claim(projectId: world.projectId, by: annotator))
        var ids: [LabelID] = []
        for round in 0..<3 {
            var collection = try await world.square(in: task.id)
            if let previous = ids.last { collection.features[0].id = .number(Double(previous)) }
            if round == 2 { collection.features[0].properties["classId"] = .number(20) }
            let saved = try await world.service.saveLabels(taskId: task.id, collection, space: .pixel, by: annotator)
            ids.append(try #require(saved.features.first?.id))
            world.clock.advance(1)
        }
        for id in ids {
            let history = try await world.service.store.labelHistory(labelId: id)
            #expect(history.map(\.label.id) == ids && history.map(\.label.version) == [1, 2, 3])
            #expect(history.map { $0.supersededAt != nil } == [true, true, false])
            #expect(history.map(\.label.classId) == [10, 10, 20])
        }
        let predecessors = try await world.service.store.labelPredecessors(projectId: world.projectId)
        #expect(predecessors == [ids[1]: ids[0], ids[2]: ids[1]])
        #expect(try await world.service.store.labelHistory(labelId: 987_654).isEmpty)
    }
}
