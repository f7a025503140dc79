import Foundation
import SwathGeo
import SwathLabels

/// What pre-labels saved the workforce: honest annotators' hand-placed vertices per traced object
/// and the consensus IoU against the truth, on tasks that offered pre-labels and on tasks drawn from
/// scratch; and the model's trainings, when the model drafted the pre-labels.
public struct EffortReport: Sendable {
    public struct Group: Sendable {
        public var submissions = 0
        public var objects = 0
        public var vertices = 0
        public var consensusIoU: Double?
        public var consensusTasks = 0
        public var verticesPerObject: Double? { objects > 0 ? Double(vertices) / Double(objects) : nil }
    }

    public var fromScratch: Group
    public var withPreLabels: Group
    public var checkpoints: [ModelCheckpoint]

    /// 1 − vertices per object with pre-labels / from scratch: the share of drawing saved.
    public var vertexSaving: Double? {
        guard let with = withPreLabels.verticesPerObject, let without = fromScratch.verticesPerObject, without > 0 else { return nil }
        return 1 - with / without
    }

    static func measure(_ world: SimulationWorld, scene: SimulatedScene, checkpoints: [ModelCheckpoint]) async throws -> EffortReport {
        var scratch = Group(), prelabelled = Group()
        var preLabelledTasks: Set<TaskID> = []
        for entry in world.efforts {
            if entry.preLabelled { preLabelledTasks.insert(entry.taskId) }
            func add(_ group: inout Group) {
                group.submissions += 1
                group.objects += entry.effort.objects
                group.vertices += entry.effort.vertices
            }
            if entry.preLabelled { add(&prelabelled) } else { add(&scratch) }
        }
        var scratchIoU: [Double] = [], prelabelledIoU: [Double] = []
        for task in world.tasks where !world.gold.contains(task.id) {
            let tile = scene.tileIndex(of: task.window)
            let truth = scene.truth[tile].map { ClassedShape(classId: $0.classId, geometry: scene.inScene($0.polygon, tile: tile)) }
            guard !truth.isEmpty, try await world.service.store.task(id: task.id)?.status == .accepted else { continue }
            let agreed = try await world.service.store.labels(taskId: task.id, privateTo: nil).filter { $0.source == .consensus }
            guard !agreed.isEmpty else { continue }
            let iou = try SimulationReport.iou(agreed.map { ClassedShape(classId: $0.classId, geometry: $0.geometry) }, truth)
            if preLabelledTasks.contains(task.id) { prelabelledIoU.append(iou) } else { scratchIoU.append(iou) }
        }
        scratch.consensusIoU = scratchIoU.isEmpty ? nil : scratchIoU.reduce(0, +) / Double(scratchIoU.count)
        scratch.consensusTasks = scratchIoU.count
        prelabelled.consensusIoU = prelabelledIoU.isEmpty ? nil : prelabelledIoU.reduce(0, +) / Double(prelabelledIoU.count)
        prelabelled.consensusTasks = prelabelledIoU.count
        return EffortReport(fromScratch: scratch, withPreLabels: prelabelled, checkpoints: checkpoints)
    }

    public var json: JSONValue {
        func number(_ value: Double?) -> JSONValue { value.map(JSONValue.number) ?? .null }
        func group(_ group: Group) -> JSONValue {
            .object(["submissions": .number(Double(group.submissions)), "objects": .number(Double(group.objects)),
                     "vertices": .number(Double(group.vertices)), "verticesPerObject": number(group.verticesPerObject),
                     "consensusIoU": number(group.consensusIoU), "consensusTasks": .number(Double(group.consensusTasks))])
        }
        return .object([
            "fromScratch": group(fromScratch),
            "withPreLabels": group(withPreLabels),
            "vertexSaving": number(vertexSaving),
            "models": .array(checkpoints.map {
                .object(["acceptedTasks": .number(Double($0.acceptedTasks)), "crossValidatedAccuracy": .number($0.crossValidatedAccuracy),
                         "truthAccuracy": .number($0.truthAccuracy), "preLabelsSaved": .number(Double($0.preLabelsSaved))])
            }),
        ])
    }

    public var lines: [String] {
        var lines = [String(format: "vertices per object: %.2f from scratch (%d submissions, consensus IoU %.3f over %d tasks), "
                            + "%.2f with pre-labels (%d submissions, consensus IoU %.3f over %d tasks): %.0f%% fewer",
                            fromScratch.verticesPerObject ?? .nan, fromScratch.submissions, fromScratch.consensusIoU ?? .nan,
                            fromScratch.consensusTasks, withPreLabels.verticesPerObject ?? .nan, withPreLabels.submissions,
                            withPreLabels.consensusIoU ?? .nan, withPreLabels.consensusTasks, (vertexSaving ?? .nan) * 100)]
        for (index, checkpoint) in checkpoints.enumerated() {
            lines.append(String(format: "model %d after %d accepted tasks: cross-validated accuracy %.3f, accuracy against the truth %.3f, "
                                + "%d pre-labels", index + 1, checkpoint.acceptedTasks, checkpoint.crossValidatedAccuracy,
                                checkpoint.truthAccuracy, checkpoint.preLabelsSaved))
        }
        return lines
    }
}
