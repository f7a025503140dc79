import Foundation
import HTTPTypes
import Testing
import SwathServerTestSupport
import SwathTestSupport

/// Every byte a non-manager can get, successes and refusals alike, swept for
/// the customers' names and the scenes' file paths.
@Suite struct SecretSweepTests {
    @Test func nonManagersNeverSeeCustomersOrPaths() async throws {
        let world = try await TestWorld.make()
        let secrets = [TestWorld.customer, "Globex", Fixture.path("utm_multiband.tif"), Fixture.path("geographic.tif"),
                       world.directory.path, "utm_multiband", "geographic.tif"]
        try await world.test { client in
            // Some history first: a claimed, saved, submitted and rejected task.
            let claimed = try await client.call(.post, "/api/v1/projects/\(world.projectA)/tasks/claim", token: world.annotator)
            let task = try #require(claimed.object["id"] as? Int)
            _ = try await client.call(.put, "/api/v1/tasks/\(task)/labels?crs=pixel", token: world.annotator, json: featureCollection([pixelSquare(5, 5, 20)]))
            _ = try await client.call(.post, "/api/v1/tasks/\(task)/submit", token: world.annotator)
            _ = try await client.call(.post, "/api/v1/tasks/\(task)/review", token: world.reviewer, json: ["decision": "reject", "comment": "redo"])
            let (a, s) = (world.projectA, world.sceneA)
            let requests: [(HTTPRequestMethod, String)] = [
                (.get, "/api/v1/me"), (.get, "/api/v1/projects"), (.get, "/api/v1/projects/\(a)"), (.get, "/api/v1/projects/\(world.projectB)"),
                (.get, "/api/v1/projects/\(a)/scenes"), (.get, "/api/v1/scenes/\(s)"), (.get, "/api/v1/scenes/\(world.sceneB)"),
                (.get, "/api/v1/tasks/\(task)"), (.get, "/api/v1/tasks/\(task)/labels"), (.get, "/api/v1/tasks/\(task)/reviews"),
                (.get, "/api/v1/projects/\(a)/labels"), (.get, "/api/v1/projects/\(a)/labels?status=all"), (.get, "/api/v1/projects/\(a)/tasks"),
                (.get, "/api/v1/projects/\(a)/audit"), (.get, "/api/v1/projects/\(a)/quality"), (.get, "/api/v1/projects/\(a)/chips"),
                (.get, "/api/v1/tasks/\(task)/consensus"), (.get, "/api/v1/tasks/\(task)/gold"), (.get, "/api/v1/tasks/999999"),
                (.get, "/api/v1/scenes/999999"), (.get, "/api/v1/chips/p\(a)-s\(s)-r0-c0/image.tif"),
                (.get, "/api/v1/chips/nonsense/image.tif"), (.get, "/api/v1/scenes/\(s)/tiles/12/654/1583.png"),
                (.get, "/api/v1/scenes/\(s)/tiles/99/0/0.png"), (.post, "/api/v1/projects/\(a)/tasks/claim"),
                (.post, "/api/v1/projects/\(a)/scenes"), (.post, "/api/v1/scenes/\(s)/labels/import?class=cropland"),
            ]
            for token in [world.annotator, world.annotator2, world.reviewer, world.trainer, world.outsider] {
                for (method, path) in requests {
                    let reply = try await client.call(method.http, path, token: token)
                    for secret in secrets {
                        #expect(!reply.text.contains(secret), "\(method) \(path) gave a non-manager '\(secret)': \(reply.text.prefix(300))")
                    }
                }
            }
            // Managers do see their own customer, so the sweep could have found it.
            #expect(try await client.call(.get, "/api/v1/projects/\(a)", token: world.manager).text.contains(TestWorld.customer))
        }
    }
}

/// The methods the sweep sends, spelled briefly.
enum HTTPRequestMethod {
    case get, post

    var http: HTTPRequest.Method { self == .get ? .get : .post }
}
