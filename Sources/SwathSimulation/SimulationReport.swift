import Foundation
import SwathGeo
import SwathLabels
import SwathQuality

/// What the simulation measured: per kind of misconduct, the share of its
/// annotators caught by the flag meant for it (recall); the share of honest
/// annotators flagged with anything or paused (false positives); and the
/// IoU against the truth of the consensus labels and of each honest
/// annotator's own work (class-aware: Σ area(∩) / Σ area(∪) per class).
public struct SimulationReport: Sendable {
    public struct KindResult: Sendable {
        public var annotators: Int
        /// Caught by the flag meant for this kind.
        public var flagged: Int
        /// Caught by any flag, or paused.
        public var flaggedAny: Int
        public var recall: Double { annotators == 0 ? 1 : Double(flagged) / Double(annotators) }
    }

    public var kinds: [DishonestKind: KindResult]
    public var honest: Int
    public var honestFlagged: Int
    public var honestFlags: [String]
    public var falsePositiveRate: Double { honest == 0 ? 0 : Double(honestFlagged) / Double(honest) }
    public var consensusIoU: Double?
    public var medianHonestIoU: Double?
    public var consensusTasks: Int
    public var tasks: Int
    public var submissions: Int
    public var goldResults: Int
    public var paused: Int
    public var seconds: Double
    /// Drawing effort with and without pre-labels, and the model's trainings.
    public var effort: EffortReport? = nil
    /// Per sleeper: tasks from the switch to the change-point flag (nil: never caught, or never switched).
    public var sleeperCatch: [Int?] = []
    /// Sleepers must be caught within this many tasks of the switch.
    public static let sleeperCatchTarget = 20
    public var sleepersCaughtInTime: Bool { sleeperCatch.allSatisfy { ($0 ?? .max) <= Self.sleeperCatchTarget } }

    /// Recall ≥ 95% for every kind, false positives ≤ 1%, consensus above the median honest annotator.
    public var targetsMet: Bool {
        kinds.values.allSatisfy { $0.recall >= 0.95 } && falsePositiveRate <= 0.01 && sleepersCaughtInTime
            && (consensusIoU ?? 0) > (medianHonestIoU ?? 1)
    }

    public var json: JSONValue {
        func number(_ value: Double?) -> JSONValue { value.map(JSONValue.number) ?? .null }
        return .object([
            "kinds": .object(Dictionary(uniqueKeysWithValues: kinds.map { kind, result in
                (kind.rawValue, JSONValue.object(["recall": .number(result.recall), "flagged": .number(Double(result.flagged)),
                                                  "flaggedByAnyCheck": .number(Double(result.flaggedAny)),
                                                  "annotators": .number(Double(result.annotators)), "flag": .string(kind.expectedFlag.rawValue)]))
            })),
            "honestAnnotators": .number(Double(honest)),
            "honestFlagged": .number(Double(honestFlagged)),
            "honestFlags": .array(honestFlags.map(JSONValue.string)),
            "falsePositiveRate": .number(falsePositiveRate),
            "consensusIoU": number(consensusIoU),
            "medianHonestIoU": number(medianHonestIoU),
            "consensusTasks": .number(Double(consensusTasks)),
            "tasks": .number(Double(tasks)),
            "submissions": .number(Double(submissions)),
            "goldResults": .number(Double(goldResults)),
            "effort": effort?.json ?? .null,
            "paused": .number(Double(paused)),
            "sleeperCatch": .array(sleeperCatch.map { $0.map { .number(Double($0)) } ?? .null }),
            "targetsMet": .bool(targetsMet),
            "seconds": .number((seconds * 10).rounded() / 10),
        ])
    }

    static func measure(_ world: SimulationWorld, scene: SimulatedScene, options: SimulationOptions, seconds: Double) async throws -> SimulationReport {
        let store = world.service.store
        let flags = try await store.flags(projectId: world.projectId)
        let pauses = try await store.pauses(projectId: world.projectId).filter(\.isActive)
        let paused = Set(pauses.map(\.userId))
        var kinds: [DishonestKind: KindResult] = [:]
        for kind in DishonestKind.allCases {
            let members = world.annotators.filter { $0.kind == kind }.map(\.user.id)
            let caught = members.filter { user in flags.contains { $0.userId == user && $0.kind == kind.expectedFlag } }
            let any = members.filter { user in paused.contains(user) || flags.contains { $0.userId == user } }
            kinds[kind] = KindResult(annotators: members.count, flagged: caught.count, flaggedAny: any.count)
        }
        let honest = world.annotators.filter { $0.kind == nil }.map(\.user.id)
        let honestFlagged = honest.filter { user in paused.contains(user) || flags.contains { $0.userId == user } }
        let honestFlags = flags.filter { honest.contains($0.userId) }.map { "user \($0.userId): \($0.kind.rawValue): \($0.evidence)" }
            + pauses.filter { honest.contains($0.userId) }.map { "user \($0.userId): paused: \($0.reason)" }

        // IoU against the truth, on non-gold tasks with something in them.
        var consensus: [Double] = []
        var perHonest: [UserID: [Double]] = [:]
        for task in world.tasks where !world.gold.contains(task.id) {
            let tile = scene.tileIndex(of: task.window)
            let truth = scene.truth[tile].map { ClassedShape(classId: $0.classId, geometry: scene.inScene($0.polygon, tile: tile)) }
            guard !truth.isEmpty else { continue }
            let agreed = try await store.labels(taskId: task.id, privateTo: nil).filter { $0.source == .consensus }
            if try await store.task(id: task.id).map({ $0.status == .accepted || $0.status == .submitted }) == true,
               options.annotatorsPerTask > 1 {
                consensus.append(try iou(agreed.map { ClassedShape(classId: $0.classId, geometry: $0.geometry) }, truth))
            }
            for user in honest {
                guard let work = try await store.submission(taskId: task.id, userId: user) else { continue }
                perHonest[user, default: []].append(try iou(work.labels.map { ClassedShape(classId: $0.classId, geometry: $0.geometry) }, truth))
            }
        }
        let honestMeans = perHonest.values.map { $0.reduce(0, +) / Double($0.count) }.sorted()
        return SimulationReport(
            kinds: kinds, honest: honest.count, honestFlagged: honestFlagged.count, honestFlags: honestFlags,
            consensusIoU: consensus.isEmpty ? nil : consensus.reduce(0, +) / Double(consensus.count),
            medianHonestIoU: median(honestMeans), consensusTasks: consensus.count, tasks: world.tasks.count, submissions: world.worked.count,
            goldResults: try await store.goldResults(projectId: world.projectId).count, paused: paused.count, seconds: seconds,
            sleeperCatch: world.annotators.filter { $0.kind == .sleeper }.map { $0.switchedAt == nil ? nil : $0.caughtAfter })
    }

    /// Σ over classes of area(A ∩ B) / Σ of area(A ∪ B).
    static func iou(_ drawn: [ClassedShape], _ truth: [ClassedShape]) throws -> Double {
        var shared = 0.0, union = 0.0
        for classId in Set(drawn.map(\.classId)).union(truth.map(\.classId)) {
            let a = try MultiPolygon.union(drawn.filter { $0.classId == classId }.map(\.geometry))
            let b = try MultiPolygon.union(truth.filter { $0.classId == classId }.map(\.geometry))
            let both = try a.intersection(b).area
            shared += both
            union += a.area + b.area - both
        }
        return union > 0 ? shared / union : 1
    }

    static func median(_ sorted: [Double]) -> Double? {
        guard !sorted.isEmpty else { return nil }
        let middle = sorted.count / 2
        return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
    }
}
