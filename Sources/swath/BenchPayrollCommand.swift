import ArgumentParser
import Foundation
import SwathSimulation

/// `make bench-payroll`: pay at a big vendor's scale.
struct BenchPayrollCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench-payroll",
        abstract: "Time a month's payroll, annotators' own statements and a remediation on a ledger of a million entries.",
        shouldDisplay: false
    )
    @Option(help: "Ledger entries in all.") var entries = 1_000_000
    @Option(help: "Annotators the ledger spreads over.") var annotators = 10_000
    @Option(help: "Tasks accepted through the service (and remediated at the end).") var tasks = 10_000
    @Option(help: "Annotators' statements timed.") var statements = 1000
    @Option(help: "Folder for the scene and database (default: a temporary folder, removed afterwards).") var workDir: String?

    func run() async throws {
        let directory = workDir ?? FileManager.default.temporaryDirectory.appendingPathComponent("swath-bench-payroll-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { if workDir == nil { try? FileManager.default.removeItem(atPath: directory) } }
        var benchmark = PayrollBenchmark()
        benchmark.entries = entries
        benchmark.annotators = annotators
        benchmark.tasks = tasks
        benchmark.statements = statements
        let report = try await benchmark.run(in: directory)
        let payroll = report.payrollSeconds
        print(String(format: "ledger of %d entries over %d annotators (%d tasks accepted through the service in %.0f s, the rest filled in %.1f s)",
                     report.entries, report.annotators, report.remediatedTasks, report.acceptSeconds, report.fillSeconds))
        print(String(format: "monthly payroll (March, %d entries): median %.3f s, min %.3f s, max %.3f s (target ≤ 2 s)",
                     report.monthEntries, payroll[payroll.count / 2], payroll.first ?? 0, payroll.last ?? 0))
        print(String(format: "annotator's own statement (%d users): p50 %.2f ms, p99 %.2f ms (target p99 ≤ 20 ms)",
                     statements, report.statementP50 * 1000, report.statementP99 * 1000))
        print(String(format: "remediation of %d tasks: %.2f s, %d ledger entries reversed (target ≤ 10 s)",
                     report.remediatedTasks, report.remediationSeconds, report.reversed))
    }
}
