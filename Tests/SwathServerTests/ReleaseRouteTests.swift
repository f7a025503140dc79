import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing
import SwathExport
import SwathGeo
import SwathLabels
import SwathTestSupport

/// Releases over HTTP: managers make them (role checked before the body), trainers and
/// managers read and compare them, others are refused or told "not found"; a label's history.
@Suite struct ReleaseRouteTests {
    @Test func managersMakeReleasesTrainersReadAndCompareThem() async throws {
        let world = try await TestWorld.make()
        try await world.acceptEverything()
        try await world.test { client in
            let path = "/api/v1/projects/\(world.projectA)/releases"
            #expect(try await client.call(.post, path, token: world.trainer, json: ["name": "v1"]).status == .forbidden)
            #expect(try await client.call(.post, path, token: world.outsider, json: ["name": "v1"]).status == .notFound)
            for (body, named) in [(["name": "a/b"], "release name"), (["chipSize": 128], "name"), (["name": "x", "chipSize": 12.5], "chipSize"),
                                  (["name": "x", "formats": ["wildfire"]], "wildfire"), (["name": "x", "statuses": ["open"]], "accepted labels only")]
                as [([String: Any], String)] {
                let reply = try await client.call(.post, path, token: world.manager, json: body)
                #expect(reply.status == .badRequest && reply.reason.contains(named), "\(body): \(reply.object)")
            }
            let made = try await client.call(.post, path, token: world.manager, json: ["name": "v1", "chipSize": 128])
            #expect(made.status == .created, "\(made.object)")
            let id = try #require(made.object["id"] as? Int)
            #expect(made.headers[.location] == "/api/v1/releases/\(id)")
            #expect((made.object["labelCount"] as? Int ?? 0) >= 1 && (made.object["digest"] as? String)?.count == 64)
            #expect(try await client.call(.post, path, token: world.manager, json: ["name": "v1"]).status == .conflict)
            // The same labels again: another name, the same digest.
            let again = try await client.call(.post, path, token: world.manager, json: ["name": "v1 again", "chipSize": 128])
            #expect(again.object["digest"] as? String == made.object["digest"] as? String)
            let againId = try #require(again.object["id"] as? Int)

            let listed = try await client.call(.get, path, token: world.trainer)
            #expect((listed.object["releases"] as? [[String: Any]])?.compactMap { $0["name"] as? String } == ["v1", "v1 again"])
            #expect(try await client.call(.get, path, token: world.annotator).status == .forbidden)
            #expect(try await client.call(.get, "/api/v1/releases/\(id)", token: world.trainer).object["name"] as? String == "v1")
            #expect(try await client.call(.get, "/api/v1/releases/\(id)", token: world.reviewer).status == .forbidden)
            #expect(try await client.call(.get, "/api/v1/releases/\(id)", token: world.outsider).status == .notFound)
            #expect(try await client.call(.get, "/api/v1/releases/99", token: world.manager).status == .notFound)

            let diff = try await client.call(.get, "/api/v1/releases/\(id)/diff/\(againId)", token: world.trainer)
            let labels = try #require(diff.object["labels"] as? [String: Int])
            #expect(labels["added"] == 0 && labels["removed"] == 0 && labels["changed"] == 0 && labels["unchanged"] == made.object["labelCount"] as? Int)
            // A release of another project: not comparable.
            let other = try await ReleaseMaker(service: world.service).create(projectId: world.projectB, name: "b1", request: ExportRequest(),
                                                                              by: .commandLine)
            let across = try await client.call(.get, "/api/v1/releases/\(id)/diff/\(other.id)", token: world.manager)
            #expect(across.status == .notFound, "the manager of A is no member of B: \(across.object)")
            let admin = try await client.call(.get, "/api/v1/releases/\(id)/diff/\(other.id)", token: world.admin)
            #expect(admin.status == .badRequest && admin.reason.contains("different projects"), "\(admin.object)")
        }
    }

    /// A label saved, edited (its id carried) and accepted: two versions, the second naming the first;
    /// reviewers see ids, managers names too; annotators are refused; strangers and unknown ids "not found".
    @Test func aLabelsHistoryListsItsVersions() async throws {
        let world = try await TestWorld.make()
        let annotator = try await world.service.authenticate(token: world.annotator)
        let task = try #require(try await world.service.claim(projectId: world.projectA, by: annotator))
        let square = { (left: Int, id: String) in
            try GeoJSONFeatureCollection(json: try JSONParser.parse(#"{"type":"FeatureCollection","features":[{"type":"Feature","# + id
                + #""properties":{"class":"cropland"},"geometry":{"type":"Polygon","coordinates":[[[\#(left),10],[\#(left + 40),10],[\#(left + 40),50],[\#(left),50],[\#(left),10]]]}}]}"#))
        }
        let first = try await world.service.saveLabels(taskId: task.id, try square(10, ""), space: .pixel, by: annotator)
        let firstId = try #require(first.features.first?.id)
        let second = try await world.service.saveLabels(taskId: task.id, try square(20, #""id":\#(Int(firstId)),"#), space: .pixel, by: annotator)
        let secondId = try #require(second.features.first?.id)
        try await world.test { client in
            for id in [Int(firstId), Int(secondId)] {
                let history = try await client.call(.get, "/api/v1/labels/\(id)/history", token: world.reviewer)
                let versions = try #require(history.object["versions"] as? [[String: Any]], "\(history.object)")
                #expect(versions.compactMap { $0["id"] as? Int } == [Int(firstId), Int(secondId)])
                #expect(versions.compactMap { $0["version"] as? Int } == [1, 2])
                #expect(versions[1]["previousId"] as? Int == Int(firstId) && versions[1]["changed"] as? [String] == ["geometry"])
                #expect(versions[0]["supersededAt"] != nil && versions[1]["supersededAt"] == nil)
                #expect(versions[0]["annotatorName"] == nil, "reviewers see ids only")
            }
            let managed = try await client.call(.get, "/api/v1/labels/\(Int(secondId))/history", token: world.manager)
            #expect((managed.object["versions"] as? [[String: Any]])?.first?["annotatorName"] as? String == "ann annotator")
            #expect(try await client.call(.get, "/api/v1/labels/\(Int(secondId))/history", token: world.annotator).status == .forbidden)
            #expect(try await client.call(.get, "/api/v1/labels/\(Int(secondId))/history", token: world.outsider).status == .notFound)
            #expect(try await client.call(.get, "/api/v1/labels/424242/history", token: world.manager).status == .notFound)
        }
    }
}
