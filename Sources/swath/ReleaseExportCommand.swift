import ArgumentParser
import Foundation
import SwathExport
import SwathGeo
import SwathLabels

struct ReleaseExportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write a release's training chips: the same bytes every time, whatever the project's labels are now.",
        discussion: "Each scene's file is first checked against the size and checksum (or ETag) the release recorded."
    )

    @OptionGroup var database: DatabaseOption
    @Option(help: "Release id.") var release: Int64
    @Option(help: "Output folder, or an S3 prefix s3://bucket/prefix/ (chips uploaded whole, the manifest last).") var out: String
    @Option(help: "Parallel chip writers (default: every core).") var threads = ProcessInfo.processInfo.activeProcessorCount
    @Flag(help: "Keep chips an interrupted export already wrote.") var resume = false
    @OptionGroup var global: GlobalOptions

    func run() async throws {
        try global.apply()
        let service = try await database.service()
        var exporter = ReleaseExporter(service: service, releaseId: release)
        exporter.threads = max(1, threads)
        exporter.resume = resume
        let report = if let objects = try ObjectPrefix.parse(out) {
            try await exporter.run(into: objects, by: .commandLine)
        } else {
            try await exporter.run(into: URL(fileURLWithPath: out), by: .commandLine)
        }
        report.notes.forEach(printWarning)
        print(report.summary)
        if !report.sceneFailures.isEmpty { throw ExportError.scenesFailed(report.sceneFailures) }
    }
}
