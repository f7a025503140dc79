import ArgumentParser
import Foundation
import SwathGeo
import SwathSimulation

struct SimulateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "simulate",
        abstract: "Play a simulated workforce through the labeling service and measure the quality checks.",
        discussion: "Builds a scene with known ground truth and a project with k annotators per task, gold tasks and model "
            + "pre-labels, then plays honest annotators (vertex jitter, missed small objects, class confusions) and dishonest "
            + "ones (copiers, speeders, colluding pairs, pre-label rubber-stampers, whole-tile drawers) through the real service. "
            + "Reports, per kind of misconduct, the recall of the flag meant for it; the false-positive rate on honest annotators; "
            + "and the IoU against the truth of the consensus and of the median honest annotator. Exit status 0 when run, "
            + "3 with --require-targets when a target is missed."
    )

    @Option(help: "Honest annotators.") var honest = 40
    @Option(help: "Dishonest annotators of each kind (colluders: rounded up to whole pairs).") var perKind = 4
    @Option(help: "Tasks (a square grid of 128-pixel tiles; rounded up to a square).") var tasks = 400
    @Option(help: "Annotators per task (k).") var k = 3
    @Option(help: "Share of tasks marked gold.") var goldShare = 0.1
    @Option(help: "Share of tasks with model pre-labels.") var prelabelShare = 0.5
    @Option(help: "Where pre-labels come from: imported (a coarse tracing of the truth), model (the pixel classifier, trained on accepted work), none.")
    var prelabels: String = "imported"
    @Flag(name: .customLong("active-learning"), help: "With --prelabels model: the queue serves the model's least certain tasks first.")
    var activeLearning = false
    @Option(name: .customLong("retrain-share"), help: "With --prelabels model: train again each time this share of the tasks has been accepted.")
    var retrainShare = 0.2
    @Option(help: "Seed: the same seed replays the same run.") var seed: UInt64 = 7
    @Option(help: "Folder for the scene and database (default: a temporary folder, removed afterwards).") var workDir: String?
    @Flag(help: "Print the report as one JSON object.") var json = false
    @Flag(help: "Exit with status 3 when a target is missed.") var requireTargets = false

    func run() async throws {
        var options = SimulationOptions()
        options.honest = honest
        options.perDishonestKind = perKind
        options.tasks = tasks
        options.annotatorsPerTask = k
        options.goldShare = goldShare
        options.preLabelShare = prelabelShare
        options.seed = seed
        guard let mode = PreLabelMode(rawValue: prelabels) else {
            SwathCommand.fail("--prelabels must be one of \(PreLabelMode.allCases.map(\.rawValue).joined(separator: ", ")), got '\(prelabels)'")
        }
        options.preLabels = mode
        options.activeLearning = activeLearning
        options.retrainShare = retrainShare
        do { try options.validate() } catch let error as SimulationError { SwathCommand.fail(error.description) }
        let directory = workDir ?? FileManager.default.temporaryDirectory.appendingPathComponent("swath-simulate-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { if workDir == nil { try? FileManager.default.removeItem(atPath: directory) } }
        let report = try await WorkforceSimulation(options: options).run(in: directory)
        if json {
            print(String(decoding: report.json.serialized, as: UTF8.self))
        } else {
            print(Self.text(report))
        }
        if requireTargets, !report.targetsMet { throw ExitCode(3) }
    }

    static func text(_ report: SimulationReport) -> String {
        var lines = ["kind               recall  caught/annotators  (any flag)"]
        for kind in DishonestKind.allCases {
            guard let result = report.kinds[kind] else { continue }
            let name = kind.rawValue.padding(toLength: 18, withPad: " ", startingAt: 0)
            lines.append(name + String(format: " %5.1f%%  %d/%d  (%d)  by ", result.recall * 100, result.flagged, result.annotators,
                                       result.flaggedAny) + kind.expectedFlag.rawValue)
        }
        lines.append(String(format: "honest annotators flagged or paused: %d/%d (%.1f%%)", report.honestFlagged, report.honest,
                            report.falsePositiveRate * 100))
        lines += report.honestFlags.map { "  " + $0 }
        lines.append(String(format: "consensus IoU %.3f over %d tasks; median honest annotator %.3f", report.consensusIoU ?? .nan,
                            report.consensusTasks, report.medianHonestIoU ?? .nan))
        lines.append("\(report.tasks) tasks, \(report.submissions) submissions, \(report.goldResults) gold results, \(report.paused) paused; "
                     + String(format: "%.1f s", report.seconds))
        lines += report.effort?.lines ?? []
        if !report.sleeperCatch.isEmpty {
            lines.append("sleepers caught, tasks after the switch: " + report.sleeperCatch.map { $0.map(String.init) ?? "never" }.joined(separator: ", ")
                         + " (target ≤ \(SimulationReport.sleeperCatchTarget))")
        }
        lines.append("targets (recall ≥ 95%, false positives ≤ 1%, sleepers within \(SimulationReport.sleeperCatchTarget) tasks, consensus above the median honest): " + (report.targetsMet ? "met" : "MISSED"))
        return lines.joined(separator: "\n")
    }
}
