import ArgumentParser
import Foundation
import Logging
import ServiceLifecycle
import SwathGeo
import SwathJobs
import SwathLabels
import SwathMap
import SwathServer

struct WorkerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "worker",
        abstract: "Run queued jobs (exports asked for over HTTP) until stopped: as many workers as wanted, on any machines.",
        discussion: """
        Workers share the server's database (--db postgres://… for many machines). Each claims the oldest due job, \
        renews its lease while running it and records the outcome; a worker that dies leaves the job to another once \
        its lease runs out, and the export resumes into the same place. SIGTERM or Ctrl-C stops after the current job.
        """
    )

    @OptionGroup var database: DatabaseOption
    @Option(help: "Where exports go: a folder or s3://bucket/prefix/ (as under swath serve --export-dir).")
    var exportDir = ServeCommand.defaultExportDirectory
    @Option(help: "Where overviews of scenes registered over HTTP are built: the servers' --overview-dir, shared with them.")
    var overviewDir = ServerOptions.defaultOverviewDirectory.path
    @Option(help: "Seconds a claimed job stays this worker's without a heartbeat (renewed every third of it).")
    var leaseSeconds = 60
    @Option(help: "Seconds between looks at the queue when it is empty.") var pollSeconds = 2.0
    @Option(help: "Threads per job (default: every core).") var threads = ProcessInfo.processInfo.activeProcessorCount
    @Option(help: "This worker's name in the jobs table (default: host:pid).") var name = JobRunner.defaultWorkerName

    func validate() throws {
        guard (3...86_400).contains(leaseSeconds) else { throw ValidationError("--lease-seconds must be 3 to 86400, got \(leaseSeconds)") }
        guard pollSeconds > 0, pollSeconds <= 3600 else { throw ValidationError("--poll-seconds must be above 0 and at most 3600") }
        guard (1...JobRules.maximumWorkerNameLength).contains(name.count) else {
            throw ValidationError("--name must be 1 to \(JobRules.maximumWorkerNameLength) characters")
        }
    }

    func run() async throws {
        try ObjectStorage.configure()
        _ = try ObjectPrefix.parse(exportDir, option: "--export-dir")  // a malformed prefix, before any job is claimed
        var runner = JobRunner(service: try await database.service(), exportRoot: exportDir, worker: name)
        _ = try SceneOverviews(location: overviewDir)  // a malformed prefix, before any job is claimed
        runner.overviewLocation = overviewDir
        runner.leaseSeconds = leaseSeconds
        runner.pollSeconds = pollSeconds
        runner.threads = max(1, threads)
        let logger = Logger(label: "swath.worker")
        FileHandle.standardOutput.write(Data("swath: worker \(name) waiting for jobs (\(try database.location.description))\n".utf8))
        let group = ServiceGroup(services: [runner], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
        try await group.run()
    }
}
