import Foundation
import SwathGeo
import SwathLabels

/// The project's quality report, computed from its labels as they stand:
/// per annotator (labels, tasks, seconds per task, flags by kind), per
/// class, every flag with its evidence, and the share of annotators
/// flagged. Agreement and accuracy against gold need consensus and gold
/// tasks, which the queue does not run yet: they are reported as null and
/// listed under `notYetMeasured`, never as a made-up number.
public enum ProjectQuality {
    public static func report(_ source: ExportSource, checks: WorkChecks = WorkChecks(), copyTolerance: Double = 0.5) -> JSONValue {
        let tasks = Dictionary(uniqueKeysWithValues: source.tasks.map { ($0.id, $0) })
        let scenes = Dictionary(uniqueKeysWithValues: source.scenes.map { ($0.id, $0) })
        let worked = source.labels.filter { $0.annotatorId != nil }
        var flags: [(flag: IntegrityFlag, userId: UserID, taskId: TaskID, labelId: LabelID?)] = []

        // Per submission (one annotator's labels of one task).
        let submissions = Dictionary(grouping: worked) { SubmissionKey(userId: $0.annotatorId!, taskId: $0.taskId) }
        for (key, labels) in submissions.sorted(by: { ($0.key.taskId, $0.key.userId) < ($1.key.taskId, $1.key.userId) }) {
            let manual = labels.filter { $0.source == .manual }
            if let flag = checks.speed(manual.map(\.geometry), secondsSpent: manual.reduce(0) { $0 + $1.secondsSpent }), !manual.isEmpty {
                flags.append((flag, key.userId, key.taskId, nil))
            }
            if let task = tasks[key.taskId], let scene = scenes[task.sceneId] {
                let tile = scene.transform.outline(task.window)
                for flag in checks.degenerate(labels.map(\.geometry), tile: tile) { flags.append((flag, key.userId, key.taskId, nil)) }
            }
            for label in labels where label.source != .manual && [.submitted, .accepted].contains(tasks[label.taskId]?.status) {
                flags.append((IntegrityFlag(.uneditedPrelabel, "label \(label.id) is still the \(label.source.rawValue) pre-label, submitted unchanged"),
                              key.userId, key.taskId, label.id))
            }
        }
        flags += copies(worked, tolerance: copyTolerance)

        let annotators = Set(worked.map { $0.annotatorId! }).sorted()
        let flaggedAnnotators = Set(flags.map(\.userId))
        let perAnnotator: [JSONValue] = annotators.map { userId in
            let mine = worked.filter { $0.annotatorId == userId }
            let taskCount = Set(mine.map(\.taskId)).count
            let seconds = mine.reduce(0) { $0 + $1.secondsSpent }
            let kinds = Dictionary(grouping: flags.filter { $0.userId == userId }, by: { $0.flag.kind.rawValue }).mapValues { JSONValue.number(Double($0.count)) }
            return .object([
                "userId": .number(Double(userId)), "labels": .number(Double(mine.count)), "tasks": .number(Double(taskCount)),
                "secondsPerTask": taskCount > 0 ? .number(seconds / Double(taskCount)) : .null,
                "flags": .object(kinds), "accuracyAgainstGold": .null, "agreement": .null,
            ])
        }
        let names = Dictionary(uniqueKeysWithValues: source.project.taxonomy.classes.map { ($0.id, $0.name) })
        let perClass: [JSONValue] = Dictionary(grouping: worked, by: \.classId).sorted { $0.key < $1.key }.map { classId, labels in
            .object(["classId": .number(Double(classId)), "name": names[classId].map(JSONValue.string) ?? .null,
                     "labels": .number(Double(labels.count)), "agreement": .null])
        }
        return .object([
            "projectId": .number(Double(source.project.id)),
            "annotators": .array(perAnnotator),
            "classes": .array(perClass),
            "flags": .array(flags.map { entry in
                .object(["kind": .string(entry.flag.kind.rawValue), "userId": .number(Double(entry.userId)),
                         "taskId": .number(Double(entry.taskId)), "labelId": entry.labelId.map { .number(Double($0)) } ?? .null,
                         "evidence": .string(entry.flag.evidence)])
            }),
            "flagRate": .number(annotators.isEmpty ? 0 : Double(flaggedAnnotators.count) / Double(annotators.count)),
            "notYetMeasured": .array([.string("agreement between annotators (needs k annotators per task)"),
                                      .string("accuracy against gold tasks")]),
        ])
    }

    private struct SubmissionKey: Hashable {
        let userId: UserID
        let taskId: TaskID
    }

    /// The same outline in two different tasks: the later label is the copy.
    static func copies(_ labels: [Label], tolerance: Double) -> [(flag: IntegrityFlag, userId: UserID, taskId: TaskID, labelId: LabelID?)] {
        let printed = labels.compactMap { label in ShapeFingerprint(label.geometry).map { (label, $0) } }
        let buckets = Dictionary(grouping: printed) { $0.1.key(tolerance: tolerance) }
        var found: [(flag: IntegrityFlag, userId: UserID, taskId: TaskID, labelId: LabelID?)] = []
        var flagged = Set<LabelID>()
        for (_, members) in buckets.sorted(by: { $0.key.lexicographicallyPrecedes($1.key) }) {
            let ordered = members.sorted { ($0.0.createdAt, $0.0.id) < ($1.0.createdAt, $1.0.id) }
            for (index, later) in ordered.enumerated() where !flagged.contains(later.0.id) {
                guard let original = ordered[..<index].first(where: { $0.0.taskId != later.0.taskId && $0.1.isNearCopy(of: later.1, tolerance: tolerance) })
                else { continue }
                flagged.insert(later.0.id)
                found.append((IntegrityFlag(.copiedGeometry, "label \(later.0.id) in task \(later.0.taskId) repeats the outline of label "
                                             + "\(original.0.id) in task \(original.0.taskId) to within \(tolerance) units"),
                              later.0.annotatorId!, later.0.taskId, later.0.id))
            }
        }
        return found
    }
}
