import ArgumentParser
import Foundation
import SwathSimulation

/// `make bench-quality`'s second half: what the integrity checks cost a submission on a big project.
struct BenchChecksCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench-checks",
        abstract: "Time the integrity checks of a submission on a project of many labels (copy index, reference layer).",
        shouldDisplay: false
    )
    @Option(help: "Labels in the project (ten per task), all handed in through the service.") var labels = 100_000
    @Option(help: "Submissions checked and timed.") var samples = 500
    @Option(help: "typical (outlines 12–60 px on 256 px tiles) or dense (6–14 px on 64 px tiles, the worst case).") var layout = "typical"
    @Option(help: "Folder for the scene and database (default: a temporary folder, removed afterwards).") var workDir: String?

    func run() async throws {
        let directory = workDir ?? FileManager.default.temporaryDirectory.appendingPathComponent("swath-bench-checks-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { if workDir == nil { try? FileManager.default.removeItem(atPath: directory) } }
        guard let chosen = CheckBenchmark.Layout(rawValue: layout) else {
            throw ValidationError("--layout must be typical or dense, not '\(layout)'")
        }
        var benchmark = CheckBenchmark()
        benchmark.layout = chosen
        benchmark.labels = labels
        benchmark.samples = samples
        let report = try await benchmark.run(in: directory)
        print(String(format: "checks on a submission of 10 outlines (%@ layout), project of %d labels and %d reference buildings: p50 %.2f ms, p99 %.2f ms "
                        + "(target p99 ≤ 5 ms; %d samples; populated in %.0f s)", layout, report.labels, report.referenceFeatures, report.p50 * 1000,
                     report.p99 * 1000, report.samples, report.populateSeconds))
    }
}
