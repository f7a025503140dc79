import Foundation
import Testing
import SwathGeo
import SwathTestSupport

/// `swath worker` processes on one PostgreSQL database, as on a fleet: an export asked for over
/// HTTP is claimed by one, which is killed mid-export; the other takes it over when the lease
/// runs out and finishes it, once, with the files the CLI's export writes.
@Suite(.serialized) struct WorkerCommandTests {
    private func startWorker(_ database: String, exports: String, name: String) throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Fixture.swathBinary)
        process.arguments = ["worker", "--db", database, "--export-dir", exports, "--lease-seconds", "3", "--poll-seconds", "0.2",
                             "--threads", "1", "--name", name]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        return process
    }

    @Test func aWorkerKilledMidExportLeavesItToAnotherWhichFinishesItOnce() async throws {
        let dir = try TemporaryDirectory("swath-workers")
        let database = try PostgresCluster.shared().createDatabase("workers")
        let scene = dir.file("noisy.tif")
        try makeNoisyScene(at: scene, size: 1024)
        #expect(try swath(["admin", "create-project", "--db", database, "--customer", "C", "--codename", "HERON", "--tile-size", "256"]).status == 0)
        #expect(try swath(["ingest", "--db", database, "--project", "1", scene, "--no-overviews"]).status == 0)
        let exports = dir.file("exports")
        let server = try ServerProcess(database: database, environment: ["SWATH_ADMIN_TOKEN": TokenForTests.admin],
                                       arguments: ["--export-dir", exports])
        let options: [String: Any] = ["chipSize": 64, "statuses": ["open"], "backgroundRatio": 1, "formats": ["geojson", "mask", "stac"]]
        let queued = try await http("POST", server.base + "/api/v1/projects/1/exports", token: TokenForTests.admin, json: options)
        #expect(queued.status == 202)
        let id = try #require((queued.body as? [String: Any])?["id"] as? Int)
        let follow = server.base + "/api/v1/exports/\(id)"
        func job() async throws -> [String: Any] {
            try #require(try await http("GET", follow, token: TokenForTests.admin).body as? [String: Any])
        }
        #expect(try await job()["status"] as? String == "queued", "on PostgreSQL the server leaves jobs to workers")

        let location = exports + "/project-1/export-\(id)"
        let doomed = try startWorker(database, exports: exports, name: "doomed")
        let chips = location + "/chips"
        #expect(waitUntil(timeout: 60) { ((try? FileManager.default.contentsOfDirectory(atPath: chips)) ?? []).filter { !$0.hasPrefix(".") }.count >= 20 })
        kill(doomed.processIdentifier, SIGKILL)
        doomed.waitUntilExit()
        let stopped = try await job()
        #expect(stopped["status"] as? String == "running" && stopped["attempts"] as? Int == 1)

        let survivor = try startWorker(database, exports: exports, name: "survivor")
        defer { survivor.terminate(); survivor.waitUntilExit() }
        let deadline = Date().addingTimeInterval(120)
        var last: [String: Any] = [:]
        while Date() < deadline {
            last = try await job()
            if last["status"] as? String != "running", last["status"] as? String != "queued" { break }
            try await Task.sleep(for: .milliseconds(200))
        }
        #expect(last["status"] as? String == "succeeded", "\(last)")
        #expect(last["attempts"] as? Int == 2 && last["location"] as? String == location)
        let progress = try #require(last["progress"] as? [String: Int])
        #expect(progress["done"] == 256 && progress["total"] == 256)  // 1024² in 64-pixel chips

        let cli = dir.file("cli")
        let exported = try swath(["export", "--db", database, "--project", "1", "--out", cli, "--chip-size", "64", "--status", "open",
                                  "--background-ratio", "1", "--formats", "geojson,mask,stac"])
        #expect(exported.status == 0, "\(exported.stderr)")
        let ours = try fileTree(location), theirs = try fileTree(cli)
        #expect(theirs.keys.filter { $0.hasSuffix("image.tif") }.count == 256)
        #expect(ours == theirs, "the job's export is the CLI's, file for file")
        #expect(server.terminate() == 0)
    }
}
