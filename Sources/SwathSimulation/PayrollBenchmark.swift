import Foundation
import GRDB
import SwathGeo
import SwathLabels

/// What pay costs at a big vendor's scale: `workers` annotators accept
/// `tasks` tasks through the real service (claim, save, submit, review: the
/// ledger entries those write are real), the ledger is then filled to
/// `entries` rows over `annotators` annotators and a year, and three things
/// are timed: a month's payroll statement, annotators' own statements, and a
/// remediation of every accepted task.
public struct PayrollBenchmark {
    public var entries = 1_000_000
    public var annotators = 10_000
    public var tasks = 10_000
    public var workers = 100
    public var statements = 1000
    public var seed: UInt64 = 11

    public init() {}

    public struct Report: Sendable {
        public var entries: Int
        public var annotators: Int
        public var monthEntries: Int
        public var payrollSeconds: [Double]
        public var statementP50: Double
        public var statementP99: Double
        public var remediatedTasks: Int
        public var remediationSeconds: Double
        public var reversed: Int
        public var acceptSeconds: Double
        public var fillSeconds: Double
    }

    /// 2026-01-01T00:00:00Z: the ledger's year starts here.
    static let yearStart = 1_767_225_600.0

    public func run(in directory: String) async throws -> Report {
        guard tasks >= 100, workers >= 1, annotators >= workers, entries >= tasks else {
            throw SimulationError("bench-payroll needs at least 100 tasks, and entries ≥ tasks, annotators ≥ workers")
        }
        let database = directory + "/payroll.sqlite"
        let clock = VirtualClock()
        let store = try SQLiteStore(path: database, seed: seed)
        let service = LabelingService(store: store, clock: { clock.now() })
        let admin = try await service.ensureAdmin(token: "bench-payroll-admin-token-0123456789")
        var settings = ProjectSettings(tileSize: 64, goldRate: 0)
        settings.pay = PayRates(currency: "USD", perTask: 150, perLabel: 20, perHour: 1200)
        let project = try await service.createProject(ProjectDraft(customer: "Bench", codename: "PAYROLL", settings: settings), by: admin)
        let scene = try Self.scene(in: directory, tasks: tasks)
        _ = try await service.registerScene(projectId: project.id, SceneRegistration(uri: scene), by: admin)
        let cohort = try await service.createCohort(codename: "VENDOR-X", vendor: nil, by: admin)
        var workers: [User] = []
        for index in 0..<self.workers {
            let (worker, _) = try await service.createUser(name: "worker \(index)", isAdmin: false, by: admin)
            try await service.addMember(projectId: project.id, userId: worker.id, role: .annotator, by: admin)
            try await service.setCohort(userId: worker.id, cohortId: cohort.id, by: admin)
            workers.append(worker)
        }
        let (reviewer, _) = try await service.createUser(name: "reviewer", isAdmin: false, by: admin)
        try await service.addMember(projectId: project.id, userId: reviewer.id, role: .reviewer, by: admin)

        var started = Date()
        let accepted = try await acceptEverything(service, project: project.id, workers: workers, reviewer: reviewer, clock: clock)
        let acceptSeconds = Date().timeIntervalSince(started)

        started = Date()
        try Self.fill(database, project: project.id, entries: entries - accepted, annotators: annotators - self.workers)
        let fillSeconds = Date().timeIntervalSince(started)

        // The month under the most load: March (entries spread evenly over the year).
        let march = try PayPeriod(from: "2026-03-01", to: "2026-03-31")
        var payroll: [Double] = []
        var monthEntries = 0
        for _ in 0..<5 {
            let began = Date()
            let statement = try await service.payroll(projectId: project.id, period: march, by: admin)
            payroll.append(Date().timeIntervalSince(began))
            monthEntries = statement.annotators.reduce(0) { $0 + $1.totals.tasks }
        }
        var random = SimulationRandom(seed: seed)
        let ids = try await store.annotatorIds(projectId: project.id)
        var times: [Double] = []
        for _ in 0..<statements {
            let userId = ids[Int(random.uniform(0...Double(ids.count - 1)).rounded(.down))]
            let caller = User(id: userId, name: "", isAdmin: false, createdAt: .distantPast)
            let began = Date()
            _ = try await service.earnings(period: march, for: caller)
            times.append(Date().timeIntervalSince(began))
        }
        times.sort()
        clock.advance(3600)
        started = Date()
        let outcome = try await service.remediate(projectId: project.id, selection: RemediationSelection(cohortId: cohort.id), by: admin)
        let remediationSeconds = Date().timeIntervalSince(started)
        return Report(entries: entries, annotators: ids.count, monthEntries: monthEntries, payrollSeconds: payroll.sorted(),
                      statementP50: times[times.count / 2], statementP99: times[min(times.count - 1, Int(Double(times.count) * 0.99))],
                      remediatedTasks: outcome.tasks.count, remediationSeconds: remediationSeconds, reversed: outcome.reversedEntries,
                      acceptSeconds: acceptSeconds, fillSeconds: fillSeconds)
    }

    /// Every task claimed, outlined with one small square (task pixels), handed in and accepted, round robin over
    /// the workers, ten minutes each by the clock; returns the ledger entries written (one acceptance per task).
    private func acceptEverything(_ service: LabelingService, project: ProjectID, workers: [User], reviewer: User,
                                  clock: VirtualClock) async throws -> Int {
        var done = 0
        var random = SimulationRandom(seed: seed)
        while case let worker = workers[done % workers.count], let task = try await service.claim(projectId: project, by: worker) {
            clock.advance(600)
            let ring = Self.outline(&random)
            let body = try JSONParser.parse(#"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"class":"building"},"geometry":{"type":"Polygon","coordinates":["# + ring + "]}}]}")
            _ = try await service.saveLabels(taskId: task.id, GeoJSONFeatureCollection(json: body), space: .pixel, by: worker)
            _ = try await service.submit(taskId: task.id, by: worker)
            _ = try await service.review(taskId: task.id, decision: .accept, comment: nil, by: reviewer)
            done += 1
        }
        return done
    }

    /// A building-like outline of 6–9 vertices at random radii around a random centre of a 64-pixel task, as JSON
    /// pixel coordinates: outlines all alike would make every submission a near copy of every other for the checks.
    static func outline(_ random: inout SimulationRandom) -> String {
        let count = Int(random.uniform(6...9.999).rounded(.down))
        let centre = (x: random.uniform(20...44), y: random.uniform(20...44))
        let turn = random.uniform(0...(2 * Double.pi))
        var points: [String] = []
        for index in 0..<count {
            let angle = turn + 2 * Double.pi * Double(index) / Double(count)
            let radius = random.uniform(6...16)
            points.append(String(format: "[%.2f,%.2f]", centre.x + radius * cos(angle), centre.y + radius * sin(angle)))
        }
        return "[" + (points + [points[0]]).joined(separator: ",") + "]"
    }

    /// A sparse single-band scene of `tasks` 64-pixel tiles (UTM 33N, 10 m).
    static func scene(in directory: String, tasks: Int) throws -> String {
        let side = Int(Double(tasks).squareRoot().rounded(.up))
        let path = directory + "/payroll_scene.tif"
        let raster = try Raster.create(path, driver: "GTiff", size: Size(width: side * 64, height: (tasks + side - 1) / side * 64), bandCount: 1,
                                       dataType: .byte, options: ["TILED=YES", "COMPRESS=DEFLATE", "SPARSE_OK=TRUE"])
        try raster.setGeoTransform(GeoTransform(originX: 500_000, pixelWidth: 10, originY: 4_600_000, pixelHeight: -10))
        try raster.setCRS(try CRS("EPSG:32633"))
        try raster.flush()
        return path
    }

    /// The rest of the ledger in one statement: `annotators` more annotators (members of the project), and `entries`
    /// acceptance entries spread evenly over 2026, each on one of the project's tasks, amounts 170–370.
    static func fill(_ path: String, project: ProjectID, entries: Int, annotators: Int) throws {
        let queue = try DatabaseQueue(path: path)
        try queue.write { db in
            let firstUser = (try Int64.fetchOne(db, sql: "SELECT COALESCE(MAX(id), 0) FROM users") ?? 0) + 1
            try db.execute(sql: """
                WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i + 1 < ?)
                INSERT INTO users (id, name, is_admin, created_at) SELECT ? + i, 'annotator ' || i, 0, ? FROM n
                """, arguments: [annotators, firstUser, yearStart])
            try db.execute(sql: """
                INSERT INTO memberships (project_id, user_id, role) SELECT ?, id, 'annotator' FROM users WHERE id >= ?
                """, arguments: [project, firstUser])
            let tasks = try Int64.fetchAll(db, sql: "SELECT id FROM tasks WHERE project_id = ? ORDER BY id", arguments: [project])
            guard let firstTask = tasks.first, let lastTask = tasks.last else { return }
            // Each row's user, task, amount and time from its index: deterministic, spread, no randomness to seed.
            try db.execute(sql: """
                WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i + 1 < ?)
                INSERT INTO pay_entries (project_id, user_id, task_id, cause, amount, currency, labels, seconds, created_at)
                SELECT ?, ? + (i * 7919) % ?, ? + (i * 104729) % ?, 'acceptance', 170 + (i * 31) % 201, 'USD', 1, 600,
                       ? + (i * 31536000.0 / ?)
                FROM n
                """, arguments: [entries, project, firstUser, annotators, firstTask, lastTask - firstTask + 1, yearStart, entries])
        }
    }
}
