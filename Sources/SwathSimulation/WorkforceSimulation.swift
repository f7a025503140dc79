import Foundation
import SwathGeo
import SwathLabels
import SwathQuality

/// Plays a simulated workforce through the real labeling service (the same
/// `LabelingService` and SQLite store the server runs) on a scene with known
/// ground truth, then measures what the quality checks caught.
public struct WorkforceSimulation {
    public var options: SimulationOptions

    public init(options: SimulationOptions) {
        self.options = options
    }

    /// Runs in `directory` (scene and database are written there).
    public func run(in directory: String) async throws -> SimulationReport {
        try options.validate()
        let started = Date()
        var random = SimulationRandom(seed: options.seed)
        let scene = try SimulatedScene.make(in: directory, tiles: options.tasks, using: &random)
        let clock = VirtualClock()
        let store = try SQLiteStore(path: directory + "/simulation.sqlite", seed: options.seed)
        let service = LabelingService(store: store, clock: { clock.now() })
        var world = try await SimulationWorld.build(service: service, scene: scene, options: options, using: &random)
        var model = options.preLabels == .model ? ModelLoop(directory: directory, options: options) : nil
        try await play(&world, scene: scene, clock: clock, model: &model, using: &random)
        var report = try await SimulationReport.measure(world, scene: scene, options: options, seconds: Date().timeIntervalSince(started))
        report.effort = try await EffortReport.measure(world, scene: scene, checkpoints: model?.checkpoints ?? [])
        return report
    }

    /// Rounds in random order until nobody can claim anything more.
    private func play(_ world: inout SimulationWorld, scene: SimulatedScene, clock: VirtualClock, model: inout ModelLoop?,
                      using random: inout SimulationRandom) async throws {
        while true {
            let active = world.annotators.indices.filter { !world.annotators[$0].done }.shuffled(using: &random)
            guard !active.isEmpty else { return }
            // Sleepers work at twice the pace of the rest (volume is what they are paid for), so their switch has room to show.
            let turns = active.flatMap { world.annotators[$0].kind == .sleeper ? [$0, $0] : [$0] }
            for index in turns where !world.annotators[index].done {
                try await turn(index, world: &world, scene: scene, clock: clock, using: &random)
                if world.worked.count % 10 == 0 { try await model?.step(world, scene: scene) }
            }
        }
    }

    private func claim(_ index: Int, world: SimulationWorld, skipping: Set<TaskID> = []) async throws -> LabelTask? {
        do {
            return try await world.service.claim(projectId: world.projectId, skipping: skipping, by: world.annotators[index].user)
        } catch LabelingError.forbidden {
            return nil
        }
    }

    private func turn(_ index: Int, world: inout SimulationWorld, scene: SimulatedScene, clock: VirtualClock,
                      using random: inout SimulationRandom) async throws {
        let service = world.service
        var me = world.annotators[index]
        defer { world.annotators[index] = me }
        guard var task = try await claim(index, world: world) else {
            me.done = true
            me.paused = try await world.isPaused(me.user.id)
            return
        }
        var partnerWork: [JSONValue]?
        if me.kind == .colluder, let partner = me.partner {
            // Skip through the queue looking for a task the partner already did.
            var tried: Set<TaskID> = []
            var holding = true
            for _ in 0..<15 {
                if let work = world.annotators[partner].handedIn[task.id] { partnerWork = work; break }
                tried.insert(task.id)
                _ = try await service.release(taskId: task.id, by: me.user)
                guard let next = try await claim(index, world: world, skipping: tried) else { holding = false; break }
                task = next
            }
            if !holding {
                guard let again = try await claim(index, world: world) else { me.done = true; return }
                task = again
            }
        }
        let tile = scene.tileIndex(of: task.window)
        let preLabels = try await service.labels(taskId: task.id, space: .pixel, for: me.user).features.filter { $0.properties.source.isPreLabel }
        let offered = preLabels.compactMap { feature -> OfferedPreLabel? in
            guard let ring = feature.geometry.polygons.first?.first, ring.count > 3 else { return nil }
            let points = ring.dropLast().map { Point(x: $0[0], y: $0[1]) }
            return OfferedPreLabel(id: feature.id, classId: feature.properties.classId, ring: points, centre: SimulatedAnnotator.centre(points))
        }
        var effort = TraceEffort()
        let honest = me.trace(scene.truth[tile], preLabels: offered, editsOutlines: options.preLabels == .model, secondsPerVertex: 1.5...3.0,
                              effort: &effort, using: &random)
        if me.kind == nil { world.efforts.append((task.id, !offered.isEmpty, effort)) }
        var features: [JSONValue]
        var submitWithoutSaving = false
        let isGold = world.gold.contains(task.id)
        var kind = me.kind
        if kind == .sleeper {
            // Honest on the first tasks and on every gold task (they pass gold); then they stop trying.
            if me.tasksDone < options.sleeperHonestTasks || isGold {
                kind = nil
            } else if me.switchedAt == nil {
                me.switchedAt = me.tasksDone
            }
        }
        switch kind {
        case nil:
            features = honest
        case .copier:
            let earlier = me.handedIn.values.filter { !$0.isEmpty }
            features = earlier.isEmpty ? honest : earlier.randomElement(using: &random)!.map(Self.withoutId)
        case .speeder:
            features = me.trace(scene.truth[tile], preLabels: offered, secondsPerVertex: 0.05...0.2, secondsPerObject: 0...0.5,
                                using: &random)
        case .colluder:
            features = partnerWork ?? honest
        case .rubberStamper:
            submitWithoutSaving = !offered.isEmpty
            features = honest
        case .wholeTileDrawer:
            features = [Self.wholeTile(using: &random)]
        case .jitteringCopier:
            let busy = me.handedIn.values.filter { $0.count >= 2 }
            if busy.isEmpty {
                features = honest
            } else {
                let shift = Point(x: random.uniform(-3...3), y: random.uniform(-3...3)), jitter = random.uniform(1.5...2.0)
                features = busy.randomElement(using: &random)!.compactMap {
                    SimulatedAnnotator.disguised(Self.withoutId($0), jitter: jitter, shift: shift, using: &random)
                }
            }
        case .scriptUser, .scriptSimplifier:
            let simplify = kind == .scriptSimplifier ? random.uniform(0.5...2.0) : nil
            features = try ScriptedOutlines.outlines(scene: scene, window: task.window, simplifyPixels: simplify).map {
                // The time claimed is a careful hand's; the server's clock shows it anyway.
                SimulatedAnnotator.feature($0.ring, classId: $0.classId, seconds: Double($0.ring.count) * random.uniform(1.5...3.0))
            }
        case .referencePaster:
            let pasted = world.reference[tile]
            if pasted.isEmpty {
                features = honest
            } else {
                let shift = Point(x: random.uniform(-2...2), y: random.uniform(-2...2))
                features = pasted.map { ring in
                    SimulatedAnnotator.feature(ring.map { Point(x: $0.x + shift.x, y: $0.y + shift.y) }, classId: SimulatedScene.classes[0],
                                               seconds: Double(ring.count) * random.uniform(1.5...3.0) + random.uniform(3...8))
                }
            }
        case .sleeper:
            if me.user.id % 2 == 0 {
                features = [Self.wholeTile(using: &random)]
            } else {
                submitWithoutSaving = true  // pre-labels as offered, or nothing at all
                features = []
            }
        }
        if !submitWithoutSaving {
            features = try await save(features, task: task, annotator: me, service: service)
        }
        let seconds = features.reduce(0.0) { $0 + Self.seconds($1) }
        clock.advance(max(seconds, 5))
        _ = try await service.submit(taskId: task.id, by: me.user)
        me.handedIn[task.id] = submitWithoutSaving ? [] : features
        world.worked.append((index, task.id))
        if !isGold { me.tasksDone += 1 }
        if me.kind == .sleeper, let switched = me.switchedAt, me.caughtAfter == nil,
           try await service.store.annotatorHistory(projectId: world.projectId, userId: me.user.id).flags.contains(where: { $0.kind == .qualityShift }) {
            me.caughtAfter = me.tasksDone - switched
        }
    }

    static func wholeTile(using random: inout SimulationRandom) -> JSONValue {
        let edge = Double(SimulatedScene.tileSize) + 2
        let ring = [Point(x: -2, y: -2), Point(x: edge, y: -2), Point(x: edge, y: edge), Point(x: -2, y: edge)]
        return SimulatedAnnotator.feature(ring, classId: SimulatedScene.classes[0], seconds: random.uniform(20...40))
    }

    /// Saves the set; polygons the service refuses (a jittered outline that
    /// crosses itself) are deleted and the rest saved, as a person would
    /// after seeing the refusal on the workbench.
    private func save(_ features: [JSONValue], task: LabelTask, annotator: SimulatedAnnotator, service: LabelingService) async throws -> [JSONValue] {
        var kept = features
        for _ in 0..<3 {
            let collection = try GeoJSONFeatureCollection(json: .object(["type": .string("FeatureCollection"), "features": .array(kept)]))
            do {
                _ = try await service.saveLabels(taskId: task.id, collection, space: .pixel, by: annotator.user)
                return kept
            } catch LabelingError.invalidFeatures(let problems) {
                let refused = Set(problems.map(\.index))
                kept = kept.enumerated().filter { !refused.contains($0.offset) }.map(\.element)
            }
        }
        throw SimulationError("\(annotator.label) annotator \(annotator.user.id) could not save task \(task.id)")
    }

    static func withoutId(_ feature: JSONValue) -> JSONValue {
        guard case .object(var fields) = feature else { return feature }
        fields["id"] = nil
        return .object(fields)
    }

    static func seconds(_ feature: JSONValue) -> Double {
        guard case .object(let fields) = feature, case .object(let properties)? = fields["properties"],
              case .number(let seconds)? = properties["secondsSpent"] else { return 0 }
        return seconds
    }
}
