import Foundation
import Logging
import ServiceLifecycle
import Synchronization
import SwathExport
import SwathGeo
import SwathLabels
import SwathMap
import SwathSpread
import SwathWildfire

/// Works the jobs table: claims the oldest due job, runs it while a heartbeat
/// renews its lease and reports progress, and records the outcome. As many
/// runners as wanted, on any machines (`swath worker`), or inside `swath serve`
/// on SQLite. A runner killed mid-job leaves it to the next, whose export
/// resumes into the same folder and keeps the finished chips.
public struct JobRunner: Service {
    public let service: LabelingService
    /// Exports go under `<root>/project-<id>/export-<job>/`: a folder or an s3:// prefix.
    public let exportRoot: String
    /// Where overviews are built: the servers' overview folder or s3:// prefix (shared by every server that draws the scene).
    public var overviewLocation = "tiles/.overviews"
    public let worker: String
    public var leaseSeconds = 60
    public var pollSeconds = 2.0
    public var threads = max(1, ProcessInfo.processInfo.activeProcessorCount)
    public var logger = Logger(label: "swath.jobs")

    public init(service: LabelingService, exportRoot: String, worker: String = JobRunner.defaultWorkerName) {
        self.service = service
        self.exportRoot = exportRoot
        self.worker = String(worker.prefix(JobRules.maximumWorkerNameLength))
    }

    /// `host:pid`: which process holds a job, for operators reading the table.
    public static var defaultWorkerName: String {
        "\(ProcessInfo.processInfo.hostName):\(ProcessInfo.processInfo.processIdentifier)"
    }

    /// Claims and runs jobs until the service group shuts down.
    public func run() async throws {
        while !Task.isCancelled, !Task.isShuttingDownGracefully {
            let worked: Bool
            do {
                worked = try await runOnce()
            } catch {
                logger.error("claiming a job failed", metadata: ["error": "\(error)"])
                worked = false
            }
            if !worked {
                try? await cancelWhenGracefulShutdown { try await Task.sleep(for: .seconds(pollSeconds)) }
            }
        }
    }

    /// Claims one due job and runs it to its outcome; false when none was due.
    @discardableResult
    public func runOnce() async throws -> Bool {
        guard let job = try await service.claimJob(worker: worker, leaseSeconds: leaseSeconds) else { return false }
        logger.info("running job", metadata: ["job": "\(job.id)", "kind": "\(job.kind.rawValue)", "attempt": "\(job.attempts)"])
        let progress = Mutex((done: 0, total: 0))
        let heartbeat = Task { [service, worker, leaseSeconds, logger] in
            while !Task.isCancelled {
                try await Task.sleep(for: .seconds(max(1, Double(leaseSeconds) / 3)))
                let (done, total) = progress.withLock { ($0.done, $0.total) }
                if try await !service.heartbeatJob(job, worker: worker, done: done, total: total, leaseSeconds: leaseSeconds) {
                    logger.warning("lost the lease on a job (another worker has it)", metadata: ["job": "\(job.id)"])
                    return
                }
            }
        }
        defer { heartbeat.cancel() }
        do {
            let report: @Sendable (Int, Int) -> Void = { done, total in progress.withLock { $0 = (done, total) } }
            let location = switch job.kind {
            case .export: try await runExport(job, progress: report)
            case .overviews: try await runOverviews(job, progress: report)
            case .wildfire: try await runWildfire(job, progress: report)
            case .spread: try await runSpread(job, progress: report)
            }
            let (done, total) = progress.withLock { ($0.done, $0.total) }
            // The last progress, then the outcome (which marks it all done).
            let stillOurs = try await service.heartbeatJob(job, worker: worker, done: done, total: total, leaseSeconds: leaseSeconds)
            let finished = stillOurs ? try await service.finishJob(job, worker: worker, result: location) : false
            if !finished {
                logger.warning("finished a job whose lease another worker holds", metadata: ["job": "\(job.id)"])
            }
        } catch {
            let failed = try await service.failJob(job, worker: worker, error: "\(error)")
            logger.error("job failed", metadata: ["job": "\(job.id)", "error": "\(error)", "status": "\(failed?.status.rawValue ?? "lost")"])
        }
        return true
    }

    /// Where an export or wildfire job writes: the same place for every attempt.
    public func location(of job: Job) throws -> String {
        let folder = "project-\(job.projectId)/\(job.kind.rawValue)-\(job.id)/"
        if let objects = try ObjectPrefix.parse(exportRoot, option: "--export-dir") {
            return objects.appending(folder).description
        }
        return URL(fileURLWithPath: exportRoot).appendingPathComponent(folder).path
    }

    /// Builds a scene's overviews (nothing when it has its own or is small); its result is the overview folder.
    private func runOverviews(_ job: Job, progress: @escaping @Sendable (Int, Int) -> Void) async throws -> String {
        struct Parameters: Decodable { var sceneId: SceneID }
        let parameters = try JSONDecoder().decode(Parameters.self, from: Data(job.parameters.utf8))
        let scene = try await service.sceneForMap(id: parameters.sceneId, by: .commandLine)
        let overviews = try SceneOverviews(location: overviewLocation)
        try overviews.build(for: scene.uri) { fraction in
            progress(Int((fraction * 100).rounded()), 100)
        }
        progress(100, 100)
        return overviews.location
    }

    /// A scene's wildfire stacks (with the manager's DEM, if any), into `<root>/project-<id>/wildfire-<job>/`
    /// (staged locally and uploaded, features.json last, when the root is an S3 prefix).
    private func runWildfire(_ job: Job, progress: @escaping @Sendable (Int, Int) -> Void) async throws -> String {
        let request = try JSONDecoder().decode(WildfireRequest.self, from: Data(job.parameters.utf8))
        guard let sceneId = request.sceneId else { throw WildfireError("the job names no scene") }
        let options = try request.options(threads: threads)
        let source = try await service.exportSource(projectId: job.projectId, statuses: try request.statusSet(), by: .commandLine)
        let inputs = try source.wildfireInputs(sceneId: sceneId, preSceneId: request.preSceneId)
        let location = try location(of: job)
        let output = try StagedFolder(location, stagingName: "swath-wildfire")
        defer { output.removeStaging() }
        let report = try WildfireExtractor.run(post: inputs.post, pre: inputs.pre, dem: request.dem, labels: inputs.burnLabels,
                                               landCover: inputs.landCover, options: options, output: output.folder)
        try output.deliver(last: WildfireExtractor.catalogFiles)
        progress(report.files.count, report.files.count)
        return location
    }

    /// A project's spread dataset into `<root>/project-<id>/spread-<job>/` (staged locally and uploaded, card.json
    /// last, when the root is an S3 prefix). A dataset is whole or absent, so an attempt after a dead worker starts
    /// over: whatever an earlier attempt left at the job's own location is removed first.
    private func runSpread(_ job: Job, progress: @escaping @Sendable (Int, Int) -> Void) async throws -> String {
        let request = try JSONDecoder().decode(SpreadDatasetRequest.self, from: Data(job.parameters.utf8))
        var options = try request.options()
        options.demDrivers = ["GTiff"]
        let layers = try request.weatherSources().map { try WeatherLayer($0, drivers: SpreadDatasetRequest.weatherDrivers) }
        let source = try await service.exportSource(projectId: job.projectId, statuses: try request.statusSet(), by: .commandLine)
        let gathered = try source.spreadBurns()
        var builder = gathered.builder(weather: layers, options: options, scale: request.scale ?? 1, offset: request.offset ?? 0)
        builder.progress = progress
        let location = try location(of: job)
        let output = try StagedFolder(location, stagingName: "swath-spread")
        defer { output.removeStaging() }
        if let objects = output.objects { try objects.removeAll() } else { Self.removeLocalAttempts(at: output.folder) }
        _ = try builder.build(burns: gathered.burns, into: output.folder)
        try output.deliver(last: ["card.json"], includeHidden: true)
        return location
    }

    /// An earlier attempt's dataset and any staging folder a dead worker left beside it (`.<name>.part-<pid>`).
    static func removeLocalAttempts(at folder: URL) {
        let manager = FileManager.default
        try? manager.removeItem(at: folder)
        let parent = folder.deletingLastPathComponent()
        for name in (try? manager.contentsOfDirectory(atPath: parent.path)) ?? [] where name.hasPrefix(".\(folder.lastPathComponent).part-") {
            try? manager.removeItem(at: parent.appendingPathComponent(name))
        }
    }

    private func runExport(_ job: Job, progress: @escaping @Sendable (Int, Int) -> Void) async throws -> String {
        let parameters = try ExportJobParameters(json: job.parameters)
        var options = try parameters.request.options()
        options.resume = true  // an attempt after a dead worker keeps its finished chips
        options.threads = threads
        options.pseudonymSecret = parameters.pseudonymSecret
        let location = try location(of: job)
        let exporter = if let objects = try ObjectPrefix.parse(location) {
            Exporter(service: service, projectId: job.projectId, objects: objects, options: options)
        } else {
            Exporter(service: service, projectId: job.projectId, outDir: URL(fileURLWithPath: location), options: options)
        }
        let report = try await exporter.run(by: .commandLine, progress: progress)
        if !report.sceneFailures.isEmpty { throw ExportError.scenesFailed(report.sceneFailures) }
        return location
    }
}
