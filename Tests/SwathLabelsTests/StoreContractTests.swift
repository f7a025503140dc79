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

    /// Where a new contract database lives: a file, or a fresh PostgreSQL database.
    func newDatabase(in directory: TemporaryDirectory) throws -> String {
        switch self {
        case .sqlite: return directory.file("contract.sqlite")
        case .postgres: return try PostgresCluster.shared().createDatabase("contract")
        }
    }

    /// Runs SQL as another client of the database would (the sqlite3 shell, psql); throws with its error.
    func rawSQL(_ sql: String, on database: String) throws -> String {
        switch self {
        case .sqlite:
            let result = try Shell.run("sqlite3", [database, sql])
            guard result.status == 0 else { throw PostgresClusterError(result.stderr) }
            return result.stdout
        case .postgres: return try PostgresCluster.shared().psql(database, sql)
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
    /// The database's path or URL: a second store opened on it is a second server.
    let database: String

    /// `groupCommitLanes`: on PostgreSQL, saves share transactions (`SWATH_PG_GROUP_COMMIT`).
    init(_ kind: StoreKind, annotators count: Int, leaseSeconds: Int = 600, labelsPerTask: Int = 1,
         groupCommitLanes: Int? = nil) async throws {
        directory = try TemporaryDirectory("store-contract")
        let clock = self.clock
        database = try kind.newDatabase(in: directory)
        let store: any Store
        if kind == .postgres, let groupCommitLanes {
            store = try await PostgresStore.open(try PostgresLocation(url: database), groupCommitLanes: groupCommitLanes)
        } else {
            store = try await DatabaseLocation(database).open()
        }
        service = LabelingService(store: store, clock: { clock.now })
        let project = try await service.createProject(
            ProjectDraft(customer: "Acme", codename: "CONTRACT",
                         settings: ProjectSettings(tileSize: 64, leaseSeconds: leaseSeconds, labelsPerTask: labelsPerTask)),
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

extension ContractWorld {
    /// Another service on the same database, as another server process would be.
    func secondServer() async throws -> LabelingService {
        let clock = self.clock
        return LabelingService(store: try await DatabaseLocation(database).open(), clock: { clock.now })
    }

    /// A square inside the task's tile (edge tiles are smaller), as an annotator would draw it.
    func square(in taskId: TaskID) async throws -> GeoJSONFeatureCollection {
        let task = try #require(try await service.store.task(id: taskId))
        let (x, y) = (1.0, 1.0)  // pixel space is the task's own tile
        let side = Double(min(task.window.width, task.window.height) - 2)
        let ring = [[x, y], [x + side, y], [x + side, y + side], [x, y + side], [x, y]].map { "[\($0[0]), \($0[1])]" }.joined(separator: ",")
        return try GeoJSONFeatureCollection(json: try JSONParser.parse("""
            {"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {"classId": 10},
              "geometry": {"type": "Polygon", "coordinates": [[\(ring)]]}}]}
            """))
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

    /// k = 3: three annotators each take a turn on one task, the consensus is made once, a fourth gets nothing.
    @Test(arguments: StoreKind.allCases)
    func consensusComesFromKTurnsOnce(kind: StoreKind) async throws {
        let world = try await ContractWorld(kind, annotators: 4, labelsPerTask: 3)
        let target = world.taskIds[0]
        let others = Set(world.taskIds.dropFirst())
        let turns = try await withThrowingTaskGroup(of: LabelTask?.self) { group in
            for user in world.annotators.prefix(3) {
                group.addTask { try await world.service.claim(projectId: world.projectId, skipping: others, by: user) }
            }
            return try await group.reduce(into: [LabelTask?]()) { $0.append($1) }
        }
        #expect(turns.map { $0?.id } == [target, target, target])
        #expect(try await world.service.claim(projectId: world.projectId, skipping: others, by: world.annotators[3]) == nil)
        for user in world.annotators.prefix(3) {
            _ = try await world.service.saveLabels(taskId: target, try await world.square(in: target), space: .pixel, by: user)
            _ = try await world.service.submit(taskId: target, by: user)
        }
        let submitted = try await world.service.store.assignments(taskId: target).filter { $0.status == .submitted }
        #expect(Set(submitted.map(\.userId)) == Set(world.annotators.prefix(3).map(\.id)) && submitted.count == 3)
        let events = try await world.service.store.auditEvents(projectId: world.projectId, afterId: 0, limit: 5000)
        #expect(events.filter { $0.action == "task.consensus" && $0.entityId == target }.count == 1)
        #expect(try await world.service.store.task(id: target)?.status != .open)
        // Completing again (a second server, a restart) changes nothing.
        #expect(try await world.service.completePendingConsensus() == 0)
    }

    /// Nobody reviews work they handed in; a refused review leaves no trace.
    @Test(arguments: StoreKind.allCases)
    func submittersCannotReviewTheirOwnWork(kind: StoreKind) async throws {
        let world = try await ContractWorld(kind, annotators: 1)
        let user = world.annotators[0]
        let task = try #require(try await world.service.claim(projectId: world.projectId, by: user))
        _ = try await world.service.saveLabels(taskId: task.id, try await world.square(in: task.id), space: .pixel, by: user)
        _ = try await world.service.submit(taskId: task.id, by: user)
        let version = try await world.service.store.projectVersion(projectId: world.projectId)
        await #expect(throws: LabelingError.self) {
            try await world.service.store.review(taskId: task.id, reviewerId: user.id, decision: .accept, comment: nil, at: world.clock.now)
        }
        #expect(try await world.service.store.task(id: task.id)?.status == .submitted)
        #expect(try await world.service.store.projectVersion(projectId: world.projectId) == version)
    }

    /// The tile grid is fixed once a scene is cut; other settings still change.
    @Test(arguments: StoreKind.allCases)
    func theTileGridFreezesOnceScenesAreCut(kind: StoreKind) async throws {
        let world = try await ContractWorld(kind, annotators: 1)
        let project = try #require(try await world.service.store.project(id: world.projectId))
        var grid = project.settings
        grid.tileSize = 128
        await #expect(throws: LabelingError.self) {
            try await world.service.store.updateSettings(projectId: world.projectId, settings: grid, actor: nil, at: world.clock.now)
        }
        var lease = project.settings
        lease.leaseSeconds = 900
        let changed = try await world.service.store.updateSettings(projectId: world.projectId, settings: lease, actor: nil, at: world.clock.now)
        #expect(changed.settings.leaseSeconds == 900 && changed.settings.tileSize == 64)
    }

    /// The audit trail refuses UPDATE and DELETE in the database itself, from any client.
    @Test(arguments: StoreKind.allCases)
    func theAuditTrailIsAppendOnlyInTheDatabase(kind: StoreKind) async throws {
        let world = try await ContractWorld(kind, annotators: 1)
        let before = try await world.service.store.auditEvents(projectId: world.projectId, afterId: 0, limit: 5000)
        #expect(!before.isEmpty)
        #expect(throws: (any Error).self) { try kind.rawSQL("UPDATE audit_events SET action = 'forged'", on: world.database) }
        #expect(throws: (any Error).self) { try kind.rawSQL("DELETE FROM audit_events", on: world.database) }
        #expect(try await world.service.store.auditEvents(projectId: world.projectId, afterId: 0, limit: 5000) == before)
    }

    /// Two servers on one database: a settings change and a revocation made through one are seen by the other within a second.
    @Test(arguments: StoreKind.allCases)
    func twoServersOnOneDatabaseStayCoherent(kind: StoreKind) async throws {
        let world = try await ContractWorld(kind, annotators: 1)
        let other = try await world.secondServer()
        let (user, token) = try await world.service.createUser(name: "roaming", isAdmin: false, by: .commandLine)
        try await world.service.addMember(projectId: world.projectId, userId: user.id, role: .manager, by: .commandLine)
        #expect(try await other.authenticate(token: token).id == user.id)
        #expect(try await other.project(id: world.projectId, for: user).settings.leaseSeconds == 600)
        try await world.service.revokeTokens(userId: user.id, by: .commandLine)
        _ = try await world.service.updateSettings(projectId: world.projectId, by: .commandLine) { settings in
            var changed = settings
            changed.leaseSeconds = 1200
            return changed
        }
        try await Task.sleep(for: .milliseconds(1100))
        await #expect(throws: LabelingError.self) { try await other.authenticate(token: token) }
        let admin = try await other.createUser(name: "second admin", isAdmin: true, by: .commandLine).user
        #expect(try await other.project(id: world.projectId, for: admin).settings.leaseSeconds == 1200)
    }
}

/// How a save versions what it replaces, on every store: the edited label's version plus one when the
/// caller may edit it, else a fresh label (a `previousId` from elsewhere is dropped, never trusted).
@Suite struct StoreSaveContractTests {
    private func draft(_ label: Label, previousId: LabelID?, drawnArea: Double? = nil) -> LabelDraft {
        LabelDraft(taskId: label.taskId, classId: label.classId, attributes: ["note": .string("edited")], geometry: label.geometry,
                   bboxWGS84: [10, 20, 10.5, 20.5], source: .manual, previousId: previousId, secondsSpent: 4, drawnArea: drawnArea)
    }

    @Test(arguments: StoreKind.allCases)
    func aSaveVersionsTheLabelsItReplaces(kind: StoreKind) async throws {
        let world = try await ContractWorld(kind, annotators: 1)
        let annotator = world.annotators[0]
        let store = world.service.store
        let task = try #require(try await world.service.claim(projectId: world.projectId, by: annotator))
        let first = try await world.service.saveLabels(taskId: task.id, try await world.square(in: task.id), space: .pixel, by: annotator)
        let original = try #require(try await store.labels(taskId: task.id, privateTo: nil).first)
        #expect(first.features.count == 1 && original.version == 1 && original.previousId == nil)

        // An edit of it, a new label, and one claiming to edit a label that is not the caller's to edit.
        let saved = try await store.replaceLabels(taskId: task.id, userId: annotator.id, labels: [
            draft(original, previousId: original.id, drawnArea: 12.5), draft(original, previousId: nil), draft(original, previousId: 987_654),
        ], at: world.clock.now)
        #expect(saved.map(\.version) == [2, 1, 1])
        #expect(saved.map(\.previousId) == [original.id, nil, nil])
        #expect(saved.map(\.id) == saved.map(\.id).sorted() && saved[0].id > original.id, "ids follow the drafts' order")
        let current = try await store.labels(taskId: task.id, privateTo: nil)
        #expect(current.map(\.id) == saved.map(\.id))
        #expect(current.map(\.version) == [2, 1, 1] && current.map(\.previousId) == [original.id, nil, nil])
        #expect(current.map(\.drawnArea) == [12.5, nil, nil] && current.allSatisfy { $0.secondsSpent == 4 && $0.annotatorId == annotator.id })
        #expect(current[0].attributes == ["note": .string("edited")])
        #expect(current[0].geometry.wkb == original.geometry.wkb, "the geometry comes back as it was stored")

        let event = try #require(try await store.auditEvents(projectId: world.projectId, afterId: 0, limit: 5000).last)
        #expect(event.action == "labels.saved" && event.entityId == task.id && event.actorId == annotator.id)
        #expect(event.before == .object(["labelIds": .array([.number(Double(original.id))])]))
        #expect(event.after == .object(["labelIds": .array(saved.map { .number(Double($0.id)) })]))

        // Saving nothing clears the set, and the next edit of a superseded label starts afresh.
        #expect(try await store.replaceLabels(taskId: task.id, userId: annotator.id, labels: [], at: world.clock.now).isEmpty)
        #expect(try await store.labels(taskId: task.id, privateTo: nil).isEmpty)
        let again = try await store.replaceLabels(taskId: task.id, userId: annotator.id, labels: [draft(original, previousId: saved[0].id)],
                                                  at: world.clock.now)
        #expect(again.map(\.version) == [1] && again.map(\.previousId) == [nil])

        // Handed in, it is the annotator's submission (the task's set), and nobody else's.
        #expect(try await store.submission(taskId: task.id, userId: annotator.id) == nil, "not yet submitted")
        _ = try await world.service.submit(taskId: task.id, by: annotator)
        let submission = try #require(try await store.submission(taskId: task.id, userId: annotator.id))
        #expect(!submission.isTurn && submission.labels.map(\.id) == again.map(\.id) && submission.sceneId == original.sceneId)
        #expect(try await store.submission(taskId: task.id, userId: annotator.id + 1000) == nil)
    }

    /// On a turn of their own (k = 3), an annotator edits the shared pre-labels into their own set, which the others never see.
    @Test(arguments: StoreKind.allCases)
    func aTurnEditsThePreLabelsIntoItsOwnSet(kind: StoreKind) async throws {
        let world = try await ContractWorld(kind, annotators: 2, labelsPerTask: 3)
        let store = world.service.store
        let target = world.taskIds[0]
        let others = Set(world.taskIds.dropFirst())
        let (first, second) = (world.annotators[0], world.annotators[1])
        _ = try #require(try await world.service.claim(projectId: world.projectId, skipping: others, by: first))
        _ = try #require(try await world.service.claim(projectId: world.projectId, skipping: others, by: second))
        // A pre-label on the task, as an import would leave it.
        _ = try await world.service.saveLabels(taskId: target, try await world.square(in: target), space: .pixel, by: first)
        let mine = try #require(try await store.labels(taskId: target, privateTo: first.id).first)
        var preLabel = draft(mine, previousId: nil)
        preLabel.source = .imported
        let shared = try #require(try await store.addPreLabels([preLabel], sceneId: mine.sceneId, actor: nil, at: world.clock.now).first)

        let edited = try await store.replaceLabels(taskId: target, userId: second.id, labels: [draft(shared, previousId: shared.id)],
                                                   at: world.clock.now)
        #expect(edited.map(\.version) == [shared.version + 1] && edited.map(\.previousId) == [shared.id])
        #expect(try await store.labels(taskId: target, privateTo: second.id).map(\.id) == edited.map(\.id))
        #expect(try await store.labels(taskId: target, privateTo: nil).map(\.id) == [shared.id], "the shared pre-label stays")
        #expect(try await store.labels(taskId: target, privateTo: first.id).map(\.id) == [mine.id], "the other turn's set is untouched")
        let twice = try await store.replaceLabels(taskId: target, userId: second.id, labels: [draft(edited[0], previousId: edited[0].id)],
                                                  at: world.clock.now)
        #expect(twice.map(\.version) == [shared.version + 2] && twice.map(\.previousId) == [edited[0].id])
        let turn = try #require(try await store.assignments(taskId: target).first { $0.userId == second.id })
        #expect(turn.savedAt == world.clock.now)

        // A submitted turn is a submission of its own set; a turn still in progress is none.
        _ = try await world.service.submit(taskId: target, by: second)
        let submission = try #require(try await store.submission(taskId: target, userId: second.id))
        #expect(submission.isTurn && submission.labels.map(\.id) == twice.map(\.id))
        #expect(try await store.submission(taskId: target, userId: first.id) == nil)
    }
}

/// Group commit on PostgreSQL (`SWATH_PG_GROUP_COMMIT`): saves share transactions in lanes, and
/// everything a save guarantees still holds when many land at once, several of them on one task.
@Suite struct PostgresGroupCommitTests {
    @Test func concurrentSavesShareCommitsAndEachStillCounts() async throws {
        let world = try await ContractWorld(.postgres, annotators: 8, groupCommitLanes: 3)
        let store = world.service.store
        var held: [(User, TaskID)] = []
        for annotator in world.annotators {
            held.append((annotator, try #require(try await world.service.claim(projectId: world.projectId, by: annotator)).id))
        }
        let squares = try await withThrowingTaskGroup(of: (TaskID, GeoJSONFeatureCollection).self) { group in
            for (_, taskId) in held { group.addTask { (taskId, try await world.square(in: taskId)) } }
            return try await group.reduce(into: [TaskID: GeoJSONFeatureCollection]()) { $0[$1.0] = $1.1 }
        }
        let before = try await store.auditEvents(projectId: world.projectId, afterId: 0, limit: 5000).count
        // Five saves of each task at once, and each annotator trying once to save into the next one's task.
        let outcomes = await withTaskGroup(of: (TaskID, UserID, Bool).self) { group in
            for (index, (annotator, taskId)) in held.enumerated() {
                for _ in 0..<5 {
                    group.addTask {
                        let saved = try? await world.service.saveLabels(taskId: taskId, squares[taskId]!, space: .pixel, by: annotator)
                        return (taskId, annotator.id, saved?.features.count == 1)
                    }
                }
                let (_, other) = held[(index + 1) % held.count]
                group.addTask {
                    let saved = try? await world.service.saveLabels(taskId: other, squares[other]!, space: .pixel, by: annotator)
                    return (other, annotator.id, saved != nil)
                }
            }
            return await group.reduce(into: [(TaskID, UserID, Bool)]()) { $0.append($1) }
        }
        for (annotator, taskId) in held {
            let mine = outcomes.filter { $0.0 == taskId && $0.1 == annotator.id }
            #expect(mine.count == 5 && mine.allSatisfy(\.2), "every save by the lease holder commits")
            #expect(!outcomes.contains { $0.0 == taskId && $0.1 != annotator.id && $0.2 }, "a save by someone else is refused")
            // One current label, the last of five versions of a chain.
            let current = try await store.labels(taskId: taskId, privateTo: nil)
            #expect(current.count == 1, "task \(taskId) has \(current.count) current labels")
        }
        let events = try await store.auditEvents(projectId: world.projectId, afterId: 0, limit: 5000).dropFirst(before)
        #expect(events.filter { $0.action == "labels.saved" }.count == held.count * 5, "one audit event per acknowledged save")
    }
}
