import Foundation
import Testing
import SwathGeo
import SwathTestSupport

/// The real binary over loopback: the whole workflow, then a kill -9 mid-load.
@Suite(.serialized) struct ServeEndToEndTests {
    @Test func labelingWorkflowOverLoopback() async throws {
        let dir = try TemporaryDirectory()
        let database = dir.file("e2e.sqlite")
        let adminToken = TokenForTests.admin
        let server = try ServerProcess(database: database, environment: ["SWATH_ADMIN_TOKEN": adminToken])
        let api = server.base + "/api/v1"
        #expect(try await http("GET", server.base + "/healthz").status == 200)

        let project = try await http("POST", api + "/projects", token: adminToken,
                                     json: ["customer": "Acme Defense", "codename": "KESTREL", "tileSize": 128])
        #expect(project.status == 201)
        let projectId = (project.body as! [String: Any])["id"] as! Int
        var tokens: [String: String] = [:]
        for (name, role) in [("ann", "annotator"), ("rey", "reviewer"), ("tom", "trainer")] {
            let user = try await http("POST", api + "/users", token: adminToken, json: ["name": name])
            let object = user.body as! [String: Any]
            tokens[role] = object["token"] as? String
            #expect(try await http("POST", api + "/projects/\(projectId)/members", token: adminToken,
                                   json: ["userId": object["id"]!, "role": role]).status == 204)
        }
        let scene = try await http("POST", api + "/projects/\(projectId)/scenes", token: adminToken,
                                   json: ["uri": Fixture.path("utm_multiband.tif"), "sensor": "fixture", "acquiredAt": "2026-08-01T18:30:00Z"])
        #expect(scene.status == 201 && (scene.body as! [String: Any])["taskCount"] as? Int == 4)

        let claimed = try await http("POST", api + "/projects/\(projectId)/tasks/claim", token: tokens["annotator"])
        let taskId = (claimed.body as! [String: Any])["id"] as! Int
        let collection: [String: Any] = ["type": "FeatureCollection", "features": [
            ["type": "Feature", "properties": ["class": "building", "attributes": ["floors": 2]],
             "geometry": ["type": "Polygon", "coordinates": [square(10, 10, 30)]]],
        ]]
        #expect(try await http("PUT", api + "/tasks/\(taskId)/labels?crs=pixel", token: tokens["annotator"], json: collection).status == 200)
        #expect(try await http("POST", api + "/tasks/\(taskId)/submit", token: tokens["annotator"]).status == 200)
        #expect(try await http("POST", api + "/tasks/\(taskId)/review", token: tokens["reviewer"], json: ["decision": "accept"]).status == 200)
        let labels = try await http("GET", api + "/projects/\(projectId)/labels", token: tokens["trainer"])
        let features = (labels.body as! [String: Any])["features"] as! [[String: Any]]
        #expect(features.count == 1)
        let properties = features[0]["properties"] as! [String: Any]
        #expect(properties["class"] as? String == "building" && (properties["attributes"] as? [String: Any])?["floors"] as? Int == 2)
        #expect(server.terminate() == 0, "SIGTERM shuts the server down gracefully")
    }

    /// A revoked SWATH_ADMIN_TOKEN once kept `serve` from starting (it tried to create the admin again);
    /// now the server starts, says so, and the token stays revoked.
    @Test func aRevokedBootstrapTokenDoesNotStopTheServer() async throws {
        let dir = try TemporaryDirectory()
        let database = dir.file("bootstrap.sqlite")
        let environment = ["SWATH_ADMIN_TOKEN": TokenForTests.admin]
        let first = try ServerProcess(database: database, environment: environment)
        #expect(try await http("GET", first.base + "/api/v1/me", token: TokenForTests.admin).status == 200)
        #expect(first.terminate() == 0)
        _ = try swath(["admin", "revoke-tokens", "--db", database, "--user", "1"])
        let second = try ServerProcess(database: database, environment: environment)
        #expect(try await http("GET", second.base + "/healthz").status == 200)
        #expect(try await http("GET", second.base + "/api/v1/me", token: TokenForTests.admin).status == 401)
        #expect(second.terminate() == 0)
    }

    /// A revocation made by another process on the same database (the CLI here, another server in a
    /// deployment) is honoured by a running server within a second: the token cache lives 1 s.
    @Test func aRevocationFromAnotherProcessIsHonouredWithinASecond() async throws {
        let dir = try TemporaryDirectory()
        let database = dir.file("revoke.sqlite")
        let user = try createUser(database, "eve")
        let server = try ServerProcess(database: database)
        #expect(try await http("GET", server.base + "/api/v1/me", token: user.token).status == 200)  // now cached
        _ = try swath(["admin", "revoke-tokens", "--db", database, "--user", "\(user.id)"])
        try await Task.sleep(for: .milliseconds(1100))
        #expect(try await http("GET", server.base + "/api/v1/me", token: user.token).status == 401)
        #expect(server.terminate() == 0)
    }

    @Test func everyAcknowledgedLabelSurvivesKillDashNine() async throws {
        let dir = try TemporaryDirectory()
        let database = dir.file("durable.sqlite")
        _ = try createUser(database, "root", admin: true)
        _ = try swath(["admin", "create-project", "--db", database, "--customer", "Acme", "--codename", "DURABLE", "--tile-size", "64"])
        _ = try swath(["ingest", "--db", database, "--project", "1", Fixture.path("utm_multiband.tif")])
        let writers = try (0..<8).map { index -> String in
            let user = try createUser(database, "writer \(index)")
            _ = try swath(["admin", "add-member", "--db", database, "--project", "1", "--user", "\(user.id)", "--role", "annotator"])
            return user.token
        }
        let server = try ServerProcess(database: database)
        let api = server.base + "/api/v1"
        var taskIds: [Int] = []
        for token in writers {
            taskIds.append((try await http("POST", api + "/projects/1/tasks/claim", token: token).body as! [String: Any])["id"] as! Int)
        }
        let acknowledged = Acknowledgements()
        let start = Date()
        try await withThrowingTaskGroup(of: Void.self) { group in
            for (index, token) in writers.enumerated() {
                let taskId = taskIds[index]
                group.addTask {
                    var sequence = 0
                    while true {
                        sequence += 1
                        let body: [String: Any] = ["type": "FeatureCollection", "features": [
                            ["type": "Feature", "properties": ["class": 40, "secondsSpent": sequence],
                             "geometry": ["type": "Polygon", "coordinates": [square(Double(sequence % 40), 5, 20)]]],
                        ]]
                        guard let reply = try? await http("PUT", api + "/tasks/\(taskId)/labels?crs=pixel", token: token, json: body) else { return }
                        guard reply.status == 200 else { return }
                        let ids = ((reply.body as! [String: Any])["features"] as! [[String: Any]]).map { $0["id"] as! Int }
                        acknowledged.record(task: taskId, sequence: sequence, labelIds: ids)
                    }
                }
            }
            group.addTask {
                // SIGKILL while the writers are mid-request, once the load has run (60 saves acknowledged, or 20 s on a
                // loaded machine): a fixed delay left too few saves to prove anything when CI ran other suites alongside.
                let deadline = Date().addingTimeInterval(20)
                while acknowledged.snapshot.labelIds.count < 60, Date() < deadline { try await Task.sleep(for: .milliseconds(20)) }
                server.kill()
            }
            try await group.waitForAll()
        }
        #expect(Date().timeIntervalSince(start) < 60)
        let snapshot = acknowledged.snapshot
        #expect(snapshot.labelIds.count > 50, "the load ran (\(snapshot.labelIds.count) acknowledged saves)")

        // Every label id that got a 2xx is in the database, superseded or not.
        let stored = try Shell.run("sqlite3", [database, "SELECT id FROM labels"]).stdout.split(separator: "\n").compactMap { Int($0) }
        #expect(snapshot.labelIds.isSubset(of: Set(stored)), "acknowledged labels lost: \(snapshot.labelIds.subtracting(stored).count)")

        // After a restart each task's current set is the last acknowledged save or a later one.
        let restarted = try ServerProcess(database: database)
        for (index, token) in writers.enumerated() {
            let reply = try await http("GET", restarted.base + "/api/v1/tasks/\(taskIds[index])/labels", token: token)
            let features = (reply.body as! [String: Any])["features"] as! [[String: Any]]
            let seconds = features.first.map { ($0["properties"] as! [String: Any])["secondsSpent"] as! Double } ?? 0
            #expect(Int(seconds) >= snapshot.lastSequence[taskIds[index]] ?? 0)
        }
        _ = restarted.terminate()
    }
}

/// What the writers were told was saved.
final class Acknowledgements: @unchecked Sendable {
    private let lock = NSLock()
    private var ids = Set<Int>()
    private var last: [Int: Int] = [:]

    func record(task: Int, sequence: Int, labelIds: [Int]) {
        lock.lock()
        defer { lock.unlock() }
        ids.formUnion(labelIds)
        last[task] = max(last[task] ?? 0, sequence)
    }

    var snapshot: (labelIds: Set<Int>, lastSequence: [Int: Int]) {
        lock.lock()
        defer { lock.unlock() }
        return (ids, last)
    }
}

enum TokenForTests {
    /// A fixed admin token for SWATH_ADMIN_TOKEN (long enough: ≥ 128 bits).
    static let admin = "swath_test-admin-token-0123456789abcdefghij"
}
