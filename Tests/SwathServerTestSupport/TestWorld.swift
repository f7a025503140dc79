import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Synchronization
import Testing
import SwathGeo
import SwathLabels
import SwathServer
import SwathTestSupport

/// A clock the tests move by hand (leases expire without waiting).
public final class TestClock: Sendable {
    private let current = Mutex(Date(timeIntervalSince1970: 1_790_000_000))

    public var now: Date { current.withLock { $0 } }

    public func advance(seconds: Double) {
        current.withLock { $0 = $0.addingTimeInterval(seconds) }
    }
}

/// A database with two projects and a cast of users:
/// project A ("BLUEJAY", customer "Acme Defense") with the fixture scene cut
/// into 128-pixel tasks (2 × 2), and project B ("REDWING") with its own scene.
public struct TestWorld: Sendable {
    public let directory: TemporaryDirectory
    public let clock: TestClock
    public let service: LabelingService
    public let admin: String
    public let manager: String
    public let annotator: String
    public let annotator2: String
    public let reviewer: String
    public let trainer: String
    public let outsider: String  // annotator of project B only
    public let projectA: ProjectID
    public let projectB: ProjectID
    public let sceneA: SceneID
    public let sceneB: SceneID
    public let tasksA: [LabelTask]
    /// The PostgreSQL database's URL when the world runs on one (`SWATH_TEST_STORE=postgres`); nil on SQLite.
    public var databaseURL: String?

    public static let customer = "Acme Defense"

    /// SQLite by default; `SWATH_TEST_STORE=postgres` runs the same server tests on a fresh
    /// PostgreSQL database in the run's throw-away cluster (`make test` does both).
    static func testStore(in directory: TemporaryDirectory) async throws -> (store: any Store, url: String?) {
        guard ProcessInfo.processInfo.environment["SWATH_TEST_STORE"] == "postgres" else {
            return (try SQLiteStore(path: directory.file("test.sqlite")), nil)
        }
        let url = try PostgresCluster.shared().createDatabase("server")
        return (try await DatabaseLocation(url).open(), url)
    }

    public static func make(tileSize: Int = 128, scenePath: String = Fixture.path("utm_multiband.tif"),
                     bandRoles: [String: Int] = ["red": 3, "nir": 4]) async throws -> TestWorld {
        let directory = try TemporaryDirectory("swath-server")
        let clock = TestClock()
        let (store, databaseURL) = try await testStore(in: directory)
        let service = LabelingService(store: store, clock: { clock.now })
        let cli = User.commandLine
        func user(_ name: String, admin: Bool = false) async throws -> (UserID, String) {
            let (user, token) = try await service.createUser(name: name, isAdmin: admin, by: cli)
            return (user.id, token)
        }
        let admin = try await user("root", admin: true)
        let manager = try await user("mia manager")
        let annotator = try await user("ann annotator")
        let annotator2 = try await user("bo annotator")
        let reviewer = try await user("rey reviewer")
        let trainer = try await user("tom trainer")
        let outsider = try await user("otto outsider")
        let a = try await service.createProject(ProjectDraft(customer: customer, codename: "BLUEJAY",
                                                             settings: ProjectSettings(tileSize: tileSize)), by: cli)
        let b = try await service.createProject(ProjectDraft(customer: "Globex", codename: "REDWING",
                                                             settings: ProjectSettings(tileSize: tileSize)), by: cli)
        for (id, role) in [(manager.0, Role.manager), (annotator.0, .annotator), (annotator2.0, .annotator),
                           (reviewer.0, .reviewer), (trainer.0, .trainer)] {
            try await service.addMember(projectId: a.id, userId: id, role: role, by: cli)
        }
        try await service.addMember(projectId: b.id, userId: outsider.0, role: .annotator, by: cli)
        let sceneA = try await service.registerScene(projectId: a.id, SceneRegistration(uri: scenePath, bandRoles: bandRoles), by: cli)
        let sceneB = try await service.registerScene(projectId: b.id, SceneRegistration(uri: Fixture.path("geographic.tif")), by: cli)
        let tasks = try await service.store.tasks(sceneId: sceneA.id)
        return TestWorld(directory: directory, clock: clock, service: service, admin: admin.1, manager: manager.1, annotator: annotator.1,
                         annotator2: annotator2.1, reviewer: reviewer.1, trainer: trainer.1, outsider: outsider.1,
                         projectA: a.id, projectB: b.id, sceneA: sceneA.id, sceneB: sceneB.id, tasksA: tasks, databaseURL: databaseURL)
    }

    public func test(_ body: @Sendable (any TestClientProtocol) async throws -> Void) async throws {
        let app = Application(router: buildRouter(service: service, options: ServerOptions(chipCache: directory.url.appendingPathComponent("chips"), overviewDirectory: directory.url.appendingPathComponent("overviews"))))
        try await app.test(.router) { client in try await body(client) }
    }
}

/// A response's status and parsed JSON body.
public struct Reply {
    public var status: HTTPResponse.Status
    public var json: Any?
    public var text: String
    public var headers: HTTPFields = [:]

    public var object: [String: Any] { json as? [String: Any] ?? [:] }
    public var array: [[String: Any]] { json as? [[String: Any]] ?? [] }
    public var reason: String { object["reason"] as? String ?? "" }
}

extension TestClientProtocol {
    /// Sends a request with an optional bearer token and JSON (or raw) body.
    public func call(_ method: HTTPRequest.Method, _ path: String, token: String? = nil, json: Any? = nil,
              raw: [UInt8]? = nil) async throws -> Reply {
        var headers: HTTPFields = [:]
        if let token { headers[.authorization] = "Bearer \(token)" }
        var body: ByteBuffer?
        if let json {
            body = ByteBuffer(bytes: try JSONSerialization.data(withJSONObject: json))
            headers[.contentType] = "application/json"
        } else if let raw {
            body = ByteBuffer(bytes: raw)
        }
        return try await execute(uri: path, method: method, headers: headers, body: body) { response in
            let text = String(buffer: response.body)
            let parsed = text.isEmpty ? nil : try? JSONSerialization.jsonObject(with: Data(text.utf8), options: [.fragmentsAllowed])
            return Reply(status: response.status, json: parsed, text: text, headers: response.headers)
        }
    }
}

/// A GeoJSON FeatureCollection with one polygon per ring given.
public func featureCollection(_ rings: [[[Double]]], classes: [Any]? = nil) -> [String: Any] {
    [
        "type": "FeatureCollection",
        "features": rings.enumerated().map { index, ring in
            [
                "type": "Feature",
                "geometry": ["type": "Polygon", "coordinates": [ring]],
                "properties": ["class": classes?[index] ?? "cropland"],
            ] as [String: Any]
        },
    ]
}

/// A closed square in a task's pixel grid.
public func pixelSquare(_ x: Double, _ y: Double, _ size: Double) -> [[Double]] {
    [[x, y], [x + size, y], [x + size, y + size], [x, y + size], [x, y]]
}

public func coordinates(_ feature: [String: Any]) -> [[[Double]]] {
    (feature["geometry"] as! [String: Any])["coordinates"] as! [[[Double]]]
}
