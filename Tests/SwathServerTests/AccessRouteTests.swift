import Foundation
import Testing
import SwathLabels
import SwathTestSupport

/// Authentication, roles, and the customer's name never reaching the workforce.
@Suite struct AccessRouteTests {
    @Test func tokensAreRequiredAndRevocable() async throws {
        let world = try await TestWorld.make()
        try await world.test { client in
            #expect(try await client.call(.get, "/healthz").status == .ok)
            let missing = try await client.call(.get, "/api/v1/projects")
            #expect(missing.status == .unauthorized && missing.object["error"] as? String == "unauthorized")
            #expect(try await client.call(.get, "/api/v1/projects", token: "swath_not-a-real-token").status == .unauthorized)
            let me = try await client.call(.get, "/api/v1/me", token: world.annotator)
            #expect(me.status == .ok && me.object["name"] as? String == "ann annotator")
            let id = me.object["id"] as! Int
            #expect(try await client.call(.delete, "/api/v1/users/\(id)/tokens", token: world.annotator2).status == .forbidden)
            #expect(try await client.call(.delete, "/api/v1/users/\(id)/tokens", token: world.admin).status == .noContent)
            #expect(try await client.call(.get, "/api/v1/me", token: world.annotator).status == .unauthorized)
        }
    }

    @Test func tokensAreStoredOnlyAsHashes() async throws {
        let world = try await TestWorld.make()
        let database: Data
        if let url = world.databaseURL {
            // Every row of the tables a token could reach, as PostgreSQL prints them.
            database = Data(try PostgresCluster.shared().psql(url, """
                SELECT string_agg(t::text, E'\\n') FROM tokens t; SELECT string_agg(u::text, E'\\n') FROM users u;
                SELECT string_agg(a::text, E'\\n') FROM audit_events a;
                """).utf8)
        } else {
            database = try Data(contentsOf: URL(fileURLWithPath: world.directory.file("test.sqlite")))
                + ((try? Data(contentsOf: URL(fileURLWithPath: world.directory.file("test.sqlite-wal")))) ?? Data())
        }
        for token in [world.admin, world.annotator] {
            #expect(database.range(of: Data(token.utf8)) == nil, "a plaintext token is in the database")
            #expect(database.range(of: Data(TokenCodec.hash(token).utf8)) != nil)
        }
        #expect(world.admin.count >= 43)  // 256 random bits in base64url, plus the prefix
    }

    @Test func onlyAdminsCreateProjectsAndUsers() async throws {
        let world = try await TestWorld.make()
        try await world.test { client in
            let body: [String: Any] = ["customer": "Initech", "codename": "GREYHERON", "tileSize": 256]
            #expect(try await client.call(.post, "/api/v1/projects", token: world.manager, json: body).status == .forbidden)
            let created = try await client.call(.post, "/api/v1/projects", token: world.admin, json: body)
            #expect(created.status == .created)
            #expect(created.object["customer"] as? String == "Initech")
            #expect((created.object["settings"] as? [String: Any])?["tileSize"] as? Int == 256)
            let classes = ((created.object["taxonomy"] as? [String: Any])?["classes"] as? [[String: Any]]) ?? []
            #expect(classes.count == 22)  // 11 land cover + 5 burn scar + 6 structure
            #expect(try await client.call(.post, "/api/v1/projects", token: world.admin, json: body).status == .conflict)
            #expect(try await client.call(.post, "/api/v1/projects", token: world.admin, json: ["codename": "X"]).status == .badRequest)
            let user = try await client.call(.post, "/api/v1/users", token: world.admin, json: ["name": "new hire"])
            #expect(user.status == .created && (user.object["token"] as? String)?.hasPrefix("swath_") == true)
            #expect(try await client.call(.post, "/api/v1/users", token: world.manager, json: ["name": "x"]).status == .forbidden)
        }
    }

    @Test func annotatorsNeverSeeTheCustomer() async throws {
        let world = try await TestWorld.make()
        try await world.test { client in
            for token in [world.annotator, world.reviewer, world.trainer] {
                for path in ["/api/v1/projects", "/api/v1/projects/\(world.projectA)", "/api/v1/me",
                             "/api/v1/projects/\(world.projectA)/scenes", "/api/v1/scenes/\(world.sceneA)",
                             "/api/v1/tasks/\(world.tasksA[0].id)"] {
                    let reply = try await client.call(.get, path, token: token)
                    #expect(!reply.text.contains(TestWorld.customer), "\(path) shows the customer")
                    #expect(!reply.text.contains("utm_multiband"), "\(path) shows the scene URI")
                }
            }
            let project = try await client.call(.get, "/api/v1/projects/\(world.projectA)", token: world.annotator)
            #expect(project.object["codename"] as? String == "BLUEJAY" && project.object["customer"] == nil)
            let managed = try await client.call(.get, "/api/v1/projects/\(world.projectA)", token: world.manager)
            #expect(managed.object["customer"] as? String == TestWorld.customer)
        }
    }

    @Test func anotherProjectsObjectsAreNotFound() async throws {
        let world = try await TestWorld.make()
        try await world.test { client in
            let task = world.tasksA[0].id
            for (method, path) in [
                (HTTPMethodBox.get, "/api/v1/projects/\(world.projectA)"), (.get, "/api/v1/projects/\(world.projectA)/scenes"),
                (.get, "/api/v1/scenes/\(world.sceneA)"), (.get, "/api/v1/tasks/\(task)"), (.get, "/api/v1/tasks/\(task)/labels"),
                (.get, "/api/v1/projects/\(world.projectA)/labels"), (.post, "/api/v1/projects/\(world.projectA)/tasks/claim"),
                (.post, "/api/v1/tasks/\(task)/submit"), (.get, "/api/v1/projects/\(world.projectA)/audit"),
            ] {
                let reply = try await client.call(method.method, path, token: world.outsider)
                #expect(reply.status == .notFound, "\(path) gave \(reply.status)")
                #expect(!reply.text.contains("BLUEJAY"))
            }
            #expect(try await client.call(.get, "/api/v1/projects", token: world.outsider).array.map { $0["codename"] as? String } == ["REDWING"])
            #expect(try await client.call(.get, "/api/v1/projects/999999", token: world.admin).status == .notFound)
            #expect(try await client.call(.get, "/api/v1/projects/abc", token: world.admin).status == .notFound)
        }
    }

    @Test func membersWithoutTheRoleAreForbidden() async throws {
        let world = try await TestWorld.make()
        try await world.test { client in
            let members = "/api/v1/projects/\(world.projectA)/members"
            let byAnnotator = try await client.call(.post, members, token: world.annotator, json: ["userId": 1, "role": "manager"] as [String: Any])
            #expect(byAnnotator.status == .forbidden)
            let badRole = try await client.call(.post, members, token: world.manager, json: ["userId": 1, "role": "boss"] as [String: Any])
            #expect(badRole.status == .badRequest)
            let added = try await client.call(.post, members, token: world.manager, json: ["userId": 7, "role": "reviewer"] as [String: Any])
            #expect(added.status == .noContent)
            let trainerClaim = try await client.call(.post, "/api/v1/projects/\(world.projectA)/tasks/claim", token: world.trainer)
            #expect(trainerClaim.status == .forbidden)
            let annotatorAudit = try await client.call(.get, "/api/v1/projects/\(world.projectA)/audit", token: world.annotator)
            #expect(annotatorAudit.status == .forbidden)
        }
    }

    @Test func malformedAndOversizedBodies() async throws {
        let world = try await TestWorld.make()
        try await world.test { client in
            let malformed = try await client.call(.post, "/api/v1/projects", token: world.admin, raw: Array("{not json".utf8))
            #expect(malformed.status == .badRequest && malformed.object["error"] as? String == "bad_request")
            let huge = [UInt8](repeating: 0x20, count: 11 * 1024 * 1024)
            let tooLarge = try await client.call(.post, "/api/v1/projects", token: world.admin, raw: huge)
            #expect(tooLarge.status == .contentTooLarge)
            #expect(tooLarge.object["error"] as? String == "payload_too_large")
        }
    }
}

/// Hummingbird's method type, boxed so a table of routes reads simply.
enum HTTPMethodBox {
    case get, post
    var method: HTTPRequest.Method { self == .get ? .get : .post }
}

import HTTPTypes

@Suite struct TokenRouteTests {
    @Test func usersGetNewTokensAndRevocationIsImmediate() async throws {
        let world = try await TestWorld.make()
        try await world.test { client in
            let me = try await client.call(.get, "/api/v1/me", token: world.annotator)
            let id = me.object["id"] as! Int
            #expect((me.object["projects"] as? [[String: Any]])?.map { $0["codename"] as? String } == ["BLUEJAY"])
            #expect(try await client.call(.post, "/api/v1/users/\(id)/tokens", token: world.annotator2).status == .forbidden)
            let issued = try await client.call(.post, "/api/v1/users/\(id)/tokens", token: world.annotator)
            #expect(issued.status == .created)
            let second = issued.object["token"] as! String
            #expect(second != world.annotator)
            #expect(try await client.call(.get, "/api/v1/me", token: second).object["id"] as? Int == id)
            // Both tokens were just used (and cached); revoking clears them at once.
            #expect(try await client.call(.delete, "/api/v1/users/\(id)/tokens", token: world.admin).status == .noContent)
            #expect(try await client.call(.get, "/api/v1/me", token: second).status == .unauthorized)
            #expect(try await client.call(.get, "/api/v1/me", token: world.annotator).status == .unauthorized)
            #expect(try await client.call(.delete, "/api/v1/users/\(id)/tokens", token: world.admin).status == .notFound)
        }
    }
}

@Suite struct SceneSourceTests {
    @Test func networkScenesNeedAnAllowedPrefix() async throws {
        let world = try await TestWorld.make()
        try await world.test { client in
            let path = "/api/v1/projects/\(world.projectA)/scenes"
            for uri in ["/vsicurl/http://169.254.169.254/latest/meta-data", "/vsis3/bucket/scene.tif"] {
                let reply = try await client.call(.post, path, token: world.manager, json: ["uri": uri])
                #expect(reply.status == .forbidden, "\(uri): \(reply.text)")
            }
            // A bare URL is not a GDAL path at all.
            #expect(try await client.call(.post, path, token: world.manager, json: ["uri": "https://example.com/a.tif"]).status == .badRequest)
            #expect(try await client.call(.post, path, token: world.manager, json: ["uri": "relative/scene.tif"]).status == .badRequest)
            let local = try await client.call(.post, path, token: world.manager, json: ["uri": Fixture.path("geographic.tif")])
            #expect(local.status == .created)
        }
        let policy = SceneSourcePolicy(allowedPrefixes: ["/vsis3/imagery-bucket/"])
        let manager = try await world.service.authenticate(token: world.manager)
        #expect(throws: Never.self) { try policy.check("/vsis3/imagery-bucket/2026/scene.tif", by: manager) }
        #expect(throws: LabelingError.self) { try policy.check("/vsis3/other-bucket/scene.tif", by: manager) }
        #expect(throws: LabelingError.self) { try policy.check(Fixture.path("geographic.tif"), by: manager) }
        #expect(throws: Never.self) { try SceneSourcePolicy().check("/vsicurl/http://x/y.tif", by: .commandLine) }
    }
}
