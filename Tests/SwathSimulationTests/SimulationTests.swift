import Foundation
import SwathGeo
import SwathLabels
@testable import SwathSimulation
import SwathTestSupport
import Testing

/// A small simulated workforce played through the real service: every kind
/// of misconduct is caught by its own flag, no honest annotator is flagged,
/// and the consensus beats the median honest annotator against the truth.
@Suite struct SimulationTests {
    static func small() -> SimulationOptions {
        var options = SimulationOptions()
        options.honest = 40  // a third of the workforce dishonest: ten kinds, two of each
        options.perDishonestKind = 2
        options.tasks = 289  // 17² tiles: enough turns (about 14 each) for a sleeper's switch to show
        options.sleeperHonestTasks = 4
        return options
    }

    @Test func aSmallWorkforceMeetsTheTargets() async throws {
        let directory = try TemporaryDirectory("swath-simulation")
        let report = try await WorkforceSimulation(options: Self.small()).run(in: directory.path)
        for kind in DishonestKind.allCases {
            let result = try #require(report.kinds[kind])
            #expect(result.annotators == 2)
            #expect(result.recall >= 0.95, "\(kind.rawValue): \(result.flagged) of \(result.annotators) caught by \(kind.expectedFlag.rawValue)")
        }
        #expect(report.falsePositiveRate <= 0.01, "\(report.honestFlags)")
        let consensus = try #require(report.consensusIoU), honest = try #require(report.medianHonestIoU)
        #expect(consensus > honest, "consensus \(consensus) against the median honest annotator's \(honest)")
        #expect(report.tasks == 289 && report.consensusTasks > 170)
        #expect(report.sleeperCatch.count == 2 && report.sleeperCatch.allSatisfy { ($0 ?? .max) <= 20 }, "\(report.sleeperCatch)")
        #expect(report.goldResults > 0, "gold tasks were served")
        #expect(report.targetsMet)

        // The report reads the same numbers the service stored: recount the flags from the database.
        let store = try SQLiteStore(path: directory.file("simulation.sqlite"))
        let flags = try await store.flags(projectId: 1)
        let copiers = Set(flags.filter { $0.kind == .copiedGeometry }.map(\.userId))
        #expect(copiers.count >= report.kinds[.copier]!.flagged)
        #expect(flags.allSatisfy { !$0.evidence.isEmpty })
    }

    @Test func iouIsClassAwareAndWorkedByHand() throws {
        let square = { (x: Double, classId: Int) in
            ClassedShape(classId: classId, geometry: MultiPolygon.rectangle(minX: x, minY: 0, maxX: x + 10, maxY: 10))
        }
        // Shifted by 5: 50 shared of 150; the wrong class shares nothing: 0 of 200.
        #expect(try abs(SimulationReport.iou([square(5, 1)], [square(0, 1)]) - 1.0 / 3) < 1e-12)
        #expect(try SimulationReport.iou([square(0, 2)], [square(0, 1)]) == 0)
        #expect(SimulationReport.median([1, 2, 3, 10]) == 2.5 && SimulationReport.median([]) == nil)
    }

    @Test func badOptionsAreRefusedWithTheReason() throws {
        var tooMany = Self.small()
        tooMany.honest = 2
        tooMany.perDishonestKind = 0
        #expect(throws: SimulationError.self) { try tooMany.validate() }
        do { try tooMany.validate() } catch { #expect("\(error)" == "--k 3 is more than the workforce of 2 annotators") }
        var gold = Self.small()
        gold.goldShare = 0.9
        #expect(throws: SimulationError.self) { try gold.validate() }
    }
}

/// The labeling model inside the simulation: trained on accepted work as it accumulates, its
/// pre-labels corrected by honest annotators, its uncertainty serving the queue.
@Suite(.serialized) struct ModelSimulationTests {
    static func options(activeLearning: Bool) -> SimulationOptions {
        var options = SimulationOptions()
        options.honest = 9
        options.perDishonestKind = 0
        options.tasks = 64
        options.preLabels = .model
        options.activeLearning = activeLearning
        options.retrainShare = 0.25
        options.modelThreads = 1  // beside the whole suite: one core
        return options
    }

    @Test(arguments: [false, true]) func modelPreLabelsAreMeasured(activeLearning: Bool) async throws {
        let directory = try TemporaryDirectory("swath-simulation-model")
        let report = try await WorkforceSimulation(options: Self.options(activeLearning: activeLearning)).run(in: directory.path)
        let effort = try #require(report.effort)
        let first = try #require(effort.checkpoints.first)
        #expect(first.acceptedTasks >= 16 && first.preLabelsSaved > 0, "\(effort.checkpoints)")
        #expect(effort.checkpoints.allSatisfy { $0.truthAccuracy >= 0.9 && $0.crossValidatedAccuracy >= 0.9 }, "\(effort.checkpoints)")
        #expect(effort.checkpoints.dropFirst().allSatisfy { $0.preLabelsSaved == 0 }, "only the first model drafts")
        #expect(effort.fromScratch.submissions > 0 && effort.withPreLabels.submissions > 0)
        // Vertices are counted independently of the report: every honest submission's effort adds up.
        #expect(effort.fromScratch.vertices + effort.withPreLabels.vertices > 0)
        let quality = try #require(effort.withPreLabels.consensusIoU)
        #expect(quality >= 0.8, "consensus IoU on pre-labelled tasks \(quality)")
        let store = try SQLiteStore(path: directory.file("simulation.sqlite"))
        let project = try #require(try await store.project(id: 1))
        #expect(project.settings.queueOrder == (activeLearning ? .uncertainty : .priority))
        let scored = try await store.uncertainty(sceneId: 1)
        #expect(scored.count == 64 && scored.values.allSatisfy { (0...1).contains($0) })
    }

    @Test func activeLearningNeedsTheModel() throws {
        var options = SimulationOptions()
        options.activeLearning = true
        #expect(throws: SimulationError.self) { try options.validate() }
    }
}
