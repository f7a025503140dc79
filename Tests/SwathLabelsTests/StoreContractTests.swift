import Foundation
import Synchronization
import Testing
import SwathGeo
import SwathLabels
import SwathTestSupport

/// What every `Store` must guarantee, run on each implementation: the
/// embedded SQLite store and the PostgreSQL/PostGIS server store (a fresh
/// database in the test run's throw-away cluster).
enum StoreKind: String, CaseIterable, CustomTestStringConvertible {
    case sqlite
    case postgres

    var testDescription: String { rawValue }

    func make(in directory: TemporaryDirectory) async throws -> any Store {
        switch self {
        case .sqlite: return try SQLiteStore(path: directory.file("contract.sqlite"))
        case .postgres:
            let url = try PostgresCluster.shared().createDatabase("contract")
            return try await DatabaseLocation(url).open()
        }
    }
}

/// A clock the contract moves by hand.
final class ContractClock: Sendable {
    private let current = Mutex(Date(timeIntervalSince1970: 1_800_000_000))
    var now: Date { current.withLock { $0 } }
    func advance(_ seconds: Double) { current.withLock { $0 = $0.addingTimeInterval(seconds) } }
}

/// A project with the fixture scene cut into 64-pixel tasks and `annotators` annotators.
struct ContractWorld {
    let directory: TemporaryDirectory
    let clock = ContractClock()
    let service: LabelingService
    let projectId: ProjectID
    let annotators: [User]
    let taskIds: [TaskID]

    init(_ kind: StoreKind, annotators count: Int, leaseSeconds: Int = 600) async throws {
        directory = try TemporaryDirectory("store-contract")
        let clock = self.clock
        service = LabelingService(store: try await kind.make(in: directory), clock: { clock.now })
        let project = try await service.createProject(
            ProjectDraft(customer: "Acme", codename: "CONTRACT", settings: ProjectSettings(tileSize: 64, leaseSeconds: leaseSeconds)),
            by: .commandLine)
        projectId = project.id
        var users: [User] = []
        for index in 0..<count {
            let user = try await service.createUser(name: "annotator \(index)", isAdmin: false, by: .commandLine).user
            try await service.addMember(projectId: project.id, userId: user.id, role: .annotator, by: .commandLine)
            users.append(user)
        }
        annotators = users
        let scene = try await service.registerScene(projectId: project.id, SceneRegistration(uri: Fixture.path("utm_multiband.tif")),
                                                    by: .commandLine)
        taskIds = try await service.store.tasks(sceneId: scene.id).map(\.id)
    }
}

@Suite struct StoreContractTests {
    /// 200 annotators claim at once over the scene's tasks: each task goes to exactly one, the rest get nothing.
    @Test(arguments: StoreKind.allCases)
    func concurrentClaimsNeverHandATaskToTwo(kind: StoreKind) async throws {
        let world = try await ContractWorld(kind, annotators: 200)
        let raster = try Raster.open(Fixture.path("utm_multiband.tif"))
        let tiles = ((raster.width + 63) / 64) * ((raster.height + 63) / 64)
        #expect(world.taskIds.count == tiles && tiles < 200)
        let claims = try await withThrowingTaskGroup(of: (UserID, TaskID?).self) { group in
            for user in world.annotators {
                group.addTask { (user.id, try await world.service.claim(projectId: world.projectId, by: user)?.id) }
            }
            return try await group.reduce(into: [(UserID, TaskID?)]()) { $0.append($1) }
        }
        let handed = claims.compactMap(\.1)
        #expect(handed.count == tiles && Set(handed) == Set(world.taskIds), "\(handed.count) claims for \(Set(handed).count) tasks")
        for id in world.taskIds {
            let task = try #require(try await world.service.store.task(id: id))
            let holders = claims.filter { $0.1 == id }.map(\.0)
            #expect(task.status == .inProgress && holders == [task.assigneeId].compactMap { $0 })
        }
    }

    /// A lease that ran out goes back to the queue; its old holder can no longer save or submit.
    @Test(arguments: StoreKind.allCases)
    func anExpiredLeaseIsLostWholly(kind: StoreKind) async throws {
        let world = try await ContractWorld(kind, annotators: 2, leaseSeconds: 60)
        let (first, second) = (world.annotators[0], world.annotators[1])
        let held = try #require(try await world.service.claim(projectId: world.projectId, by: first))
        world.clock.advance(61)
        // Everything else skipped: the only task left to hand out is the one whose lease ran out.
        let others = Set(world.taskIds).subtracting([held.id])
        let reclaimed = try await world.service.claim(projectId: world.projectId, skipping: others, by: second)
        #expect(reclaimed?.id == held.id, "the expired task was not handed out again")
        await #expect(throws: LabelingError.self) { try await world.service.submit(taskId: held.id, by: first) }
        #expect(try await world.service.store.task(id: held.id)?.assigneeId == second.id)
    }

    /// Every change comes with its audit event and a new project version, in one transaction; a refused one with neither.
    @Test(arguments: StoreKind.allCases)
    func changesAndTheirAuditEventsCommitTogether(kind: StoreKind) async throws {
        let world = try await ContractWorld(kind, annotators: 1)
        let store = world.service.store
        let before = try await store.auditEvents(projectId: world.projectId, afterId: 0, limit: 5000).count
        let version = try await store.projectVersion(projectId: world.projectId)
        let task = try #require(try await world.service.claim(projectId: world.projectId, by: world.annotators[0]))
        let events = try await store.auditEvents(projectId: world.projectId, afterId: 0, limit: 5000)
        #expect(events.count == before + 1 && events.last?.action == "task.claimed" && events.last?.entityId == task.id)
        #expect(try await store.projectVersion(projectId: world.projectId) == version + 1)
        await #expect(throws: LabelingError.self) { try await world.service.submit(taskId: task.id + 1000, by: world.annotators[0]) }
        #expect(try await store.auditEvents(projectId: world.projectId, afterId: 0, limit: 5000).count == before + 1)
        #expect(try await store.projectVersion(projectId: world.projectId) == version + 1)
    }
}
