import Foundation
import Testing
import SwathGeo
import SwathTestSupport

/// `swath tile --out s3://…` (moto's server on loopback): whole objects under final keys,
/// the index last, shards and reruns by listing, uploads retried and faults reported.
@Suite(.serialized) struct ObjectOutputCommandTests {
    static let scene = "s3://scenes/utm.tif"

    private func swath(_ s3: MotoS3, _ arguments: [String], extra: [String] = []) throws -> ShellResult {
        try Shell.run("/usr/bin/env", s3.environment + extra + [Fixture.swathBinary] + arguments)
    }

    private func startSwath(_ s3: MotoS3, _ arguments: [String], extra: [String] = []) throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = s3.environment + extra + [Fixture.swathBinary] + arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        return process
    }

    private func served(_ s3: MotoS3) throws -> MotoS3 {
        try s3.put(Fixture.path("utm_multiband.tif"), bucket: "scenes", key: "utm.tif")
        return s3
    }

    /// The files of a tile folder: name → bytes, hidden journals left out.
    private func files(_ folder: String) throws -> [String: Data] {
        var found: [String: Data] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: folder) where !name.hasPrefix(".") {
            found[name] = try Data(contentsOf: URL(fileURLWithPath: folder + "/" + name))
        }
        return found
    }

    private func features(_ indexPath: String) throws -> NSArray {
        let index = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: indexPath))) as? [String: Any])
        return NSArray(array: try #require(index["features"] as? [Any]))
    }

    /// The same scene tiled from S3 to S3 and from disk to disk: the same tiles, byte for byte
    /// (and the same PNG sidecars), the same index features; nothing temporary on S3.
    @Test(arguments: [["--format", "gtiff"], ["--format", "png", "--skip-empty"]])
    func tilesOnS3EqualTheLocalRun(_ format: [String]) throws {
        let s3 = try served(MotoS3())
        let dir = try TemporaryDirectory("s3-out")
        let remote = try swath(s3, ["tile", Self.scene, "--size", "32", "--out", "s3://scenes/tiles/utm/"] + format)
        #expect(remote.status == 0, "\(remote.stderr)")
        #expect(remote.stdout.contains("→ s3://scenes/tiles/utm/"))
        let local = try Shell.run(Fixture.swathBinary, ["tile", Fixture.path("utm_multiband.tif"), "--size", "32", "--out", dir.file("local")] + format)
        #expect(local.status == 0, "\(local.stderr)")

        try s3.get(bucket: "scenes", prefix: "tiles/utm/", into: dir.file("remote"))
        let ours = try files(dir.file("remote")), theirs = try files(dir.file("local"))
        #expect(ours.keys.sorted() == theirs.keys.sorted())
        #expect(theirs.count > 10)
        for (name, bytes) in theirs where name != "index.geojson" { #expect(ours[name] == bytes, "\(name)") }
        #expect(try features(dir.file("remote/index.geojson")) == features(dir.file("local/index.geojson")))
        let hidden = try FileManager.default.contentsOfDirectory(atPath: dir.file("remote")).filter { $0.hasPrefix(".") }
        #expect(hidden == [".swath-tile-journal"], "only the journal's parts, no temporaries: \(hidden)")
    }

    /// Three shards at once into one prefix, each told its index as a Kubernetes Indexed Job
    /// tells it: the tiles and index of one run, byte for byte.
    @Test func threeShardsAtOnceGiveOneRunsResult() throws {
        let s3 = try served(MotoS3())
        let dir = try TemporaryDirectory("s3-shards")
        let options = ["--size", "16", "--threads", "1"]
        let whole = try swath(s3, ["tile", Self.scene, "--out", "s3://scenes/whole/"] + options)
        #expect(whole.status == 0, "\(whole.stderr)")
        let parts = try (0..<3).map { index in
            try startSwath(s3, ["tile", Self.scene, "--out", "s3://scenes/sharded/", "--shards", "3"] + options,
                           extra: ["JOB_COMPLETION_INDEX=\(index)"])
        }
        parts.forEach { $0.waitUntilExit() }
        #expect(parts.allSatisfy { $0.terminationStatus == 0 })

        try s3.get(bucket: "scenes", prefix: "whole/", into: dir.file("whole"))
        try s3.get(bucket: "scenes", prefix: "sharded/", into: dir.file("sharded"))
        let one = try files(dir.file("whole")), three = try files(dir.file("sharded"))
        #expect(one.count == 193)  // 16 × 12 tiles and the index
        #expect(one == three, "the same objects, byte for byte, index included")
    }

    /// A shard killed mid-upload (SIGKILL) is simply run again; with the other shards, the job is one run's.
    @Test func aShardKilledAndRunAgainFinishesTheJob() throws {
        let s3 = try served(MotoS3())
        let dir = try TemporaryDirectory("s3-killed")
        let options = ["--size", "16", "--threads", "1"]
        #expect(try swath(s3, ["tile", Self.scene, "--out", "s3://scenes/whole/"] + options).status == 0)

        try s3.fail("PUT", contains: "/killed/r0004_c0005", count: 1, kind: "hang", seconds: 30)  // row 4: shard 1 of 3
        let doomed = try startSwath(s3, ["tile", Self.scene, "--out", "s3://scenes/killed/", "--shard", "1/3"] + options)
        #expect(waitUntil(timeout: 60) { (try? s3.faultsLeft()) == 0 }, "the shard reached the tile that hangs")
        #expect(doomed.isRunning)
        kill(doomed.processIdentifier, SIGKILL)
        doomed.waitUntilExit()

        for index in [0, 2] {
            let other = try swath(s3, ["tile", Self.scene, "--out", "s3://scenes/killed/", "--shard", "\(index)/3"] + options)
            #expect(other.status == 0 && other.stdout.contains("when the other shards have finished"), "\(other.stdout)")
        }
        let rerun = try swath(s3, ["tile", Self.scene, "--out", "s3://scenes/killed/", "--shard", "1/3"] + options)
        #expect(rerun.status == 0 && rerun.stdout.contains("written by this shard, the last to finish"), "\(rerun.stdout) \(rerun.stderr)")
        try s3.get(bucket: "scenes", prefix: "whole/", into: dir.file("whole"))
        try s3.get(bucket: "scenes", prefix: "killed/", into: dir.file("killed"))
        #expect(try files(dir.file("whole")) == files(dir.file("killed")))
    }

    /// Uploads cut mid-body or refused with a 500 are retried; one that keeps failing is reported
    /// with its URI after four attempts, nothing is left under its key, the tiles that did finish
    /// are kept, and `--resume` (by listing) finishes the job as one run would have.
    @Test func uploadsAreRetriedThenReportedAndResumed() throws {
        let s3 = try served(MotoS3())
        let dir = try TemporaryDirectory("s3-retry")
        let options = ["--size", "16", "--threads", "1"]
        #expect(try swath(s3, ["tile", Self.scene, "--out", "s3://scenes/whole/"] + options).status == 0)

        try s3.fail("PUT", contains: "/flaky/r0001_c0003", count: 2, kind: "drop")
        try s3.fail("PUT", contains: "/flaky/r0002_c0003", count: 3, kind: "status")
        let flaky = try swath(s3, ["tile", Self.scene, "--out", "s3://scenes/flaky/"] + options)
        #expect(flaky.status == 0, "\(flaky.stderr)")

        try s3.fail("PUT", contains: "/broken/r0005_c0000", count: 4, kind: "drop")  // every attempt of one run
        let broken = try swath(s3, ["tile", Self.scene, "--out", "s3://scenes/broken/"] + options)
        let lines = errorLines(broken)
        #expect(broken.status == 1 && lines.count == 1, "\(lines)")
        #expect(lines.first?.contains("s3://scenes/broken/r0005_c0000.tif: write failed") == true, "\(lines)")
        #expect(lines.first?.contains("after 4 attempts") == true, "\(lines)")
        #expect(!broken.stderr.contains(MotoS3.secret) && !broken.stdout.contains(MotoS3.secret))
        try s3.get(bucket: "scenes", prefix: "broken/", into: dir.file("broken"))
        let left = try files(dir.file("broken"))
        #expect(left["r0005_c0000.tif"] == nil && left["index.geojson"] == nil)
        #expect(left.count >= 80, "rows 0–4 were finished and kept: \(left.count)")

        let resumed = try swath(s3, ["tile", Self.scene, "--out", "s3://scenes/broken/", "--resume"] + options)
        #expect(resumed.status == 0, "\(resumed.stderr)")
        #expect(resumed.stdout.contains("already done"), "\(resumed.stdout)")
        try s3.get(bucket: "scenes", prefix: "whole/", into: dir.file("whole"))
        try s3.get(bucket: "scenes", prefix: "flaky/", into: dir.file("flaky"))
        try s3.get(bucket: "scenes", prefix: "broken/", into: dir.file("broken"))
        let one = try files(dir.file("whole"))
        #expect(try files(dir.file("flaky")) == one)
        #expect(try files(dir.file("broken")) == one)
    }

    /// Refused credentials, a missing bucket, an unusable prefix: one line naming the URI, exit 1, no secret.
    @Test func outputFaultsAreOneLineNamingTheURI() throws {
        let s3 = try served(MotoS3())
        let scene = Fixture.path("utm_multiband.tif")
        let cases: [([String], [String], [String])] = [
            (["tile", scene, "--out", "s3://scenes/denied/"], ["AWS_ACCESS_KEY_ID=denied-key"],
             ["s3://scenes/denied/: cannot write tiles there", "Access Key Id"]),
            (["tile", scene, "--out", "s3://no-such-bucket/tiles/"], [], ["s3://no-such-bucket/tiles/", "bucket does not exist"]),
            (["tile", scene, "--out", "s3://Scenes_Upper/tiles/"], [], ["--out", "does not name an S3 bucket"]),
            (["tile", scene, "--out", "s3://scenes/a/../b/"], [], ["--out", "not a usable key prefix"]),
        ]
        for (arguments, extra, expected) in cases {
            let result = try swath(s3, arguments, extra: extra)
            let lines = errorLines(result)
            #expect(result.status == 1 && lines.count == 1, "\(arguments): \(result.status) \(lines)")
            #expect(expected.allSatisfy { lines.first?.contains($0) == true }, "\(arguments): \(lines)")
            #expect(!result.stderr.contains(MotoS3.secret) && !result.stdout.contains(MotoS3.secret))
        }
    }

    /// A fire's scenes and DEM ingested from S3, its wildfire stacks and an export written to S3 (the export
    /// also as three shards at once): the files of the same runs on local disk, byte for byte.
    @Test func wildfireAndExportFromS3ToS3EqualTheLocalRuns() throws {
        let s3 = try MotoS3()
        let dir = try TemporaryDirectory("s3-fire")
        let made = try Shell.run("/usr/bin/python3", [Fixture.path("make_wildfire_inputs.py"), dir.path])
        #expect(made.status == 0, "\(made.stderr)")
        for name in ["pre.tif", "post.tif", "dem.tif"] { try s3.put(dir.file(name), bucket: "fire", key: "in/\(name)") }
        let roles = "red=3,nir=4,swir1=5,swir2=6"
        let key = ["SWATH_EXPORT_KEY=an-operator-secret-of-thirty-two-or-more-characters"]
        func database(_ name: String, scenes: (String) -> String) throws -> String {
            let db = dir.file(name)
            #expect(try swath(s3, ["admin", "create-project", "--db", db, "--customer", "C", "--codename", "EMBER", "--tile-size", "64"]).status == 0)
            #expect(try swath(s3, ["ingest", "--db", db, "--project", "1", scenes("pre.tif"), "--band-roles", roles]).status == 0)
            let post = try swath(s3, ["ingest", "--db", db, "--project", "1", scenes("post.tif"), "--band-roles", roles, "--pre-event", "1"])
            #expect(post.status == 0, "\(post.stderr)")
            #expect(try swath(s3, ["import", "--db", db, "--scene", "2", dir.file("burn.gpkg"), "--class", "204"]).status == 0)
            return db
        }
        let remoteDB = try database("remote.sqlite") { "s3://fire/in/\($0)" }
        let localDB = try database("local.sqlite") { dir.file($0) }
        let fire = ["--project", "1", "--scene", "2", "--chip-size", "32", "--status", "open", "--scale", "0.0001", "--offset=-0.1"]

        let remoteFire = try swath(s3, ["wildfire", "--db", remoteDB, "--dem", "s3://fire/in/dem.tif", "--out", "s3://fire/out/features/"] + fire)
        #expect(remoteFire.status == 0, "\(remoteFire.stderr)")
        #expect(try swath(s3, ["wildfire", "--db", localDB, "--dem", dir.file("dem.tif"), "--out", dir.file("local-features")] + fire).status == 0)
        try s3.get(bucket: "fire", prefix: "out/features/", into: dir.file("remote-features"))
        let ours = try fileTree(dir.file("remote-features")), theirs = try fileTree(dir.file("local-features"))
        #expect(ours.keys.sorted() == theirs.keys.sorted() && theirs.count == 6, "\(theirs.keys.sorted())")  // 4 chips, summary, catalog
        // The catalog names its inputs (an s3:// DEM on one side, a path on the other); every other byte is the same.
        for (name, bytes) in theirs where name != "features.json" { #expect(ours[name] == bytes, "\(name)") }

        // The same stacks as three shards at once on S3, and as two shards one after the other into a folder.
        let fireShards = try (0..<3).map { index in
            try startSwath(s3, ["wildfire", "--db", remoteDB, "--dem", "s3://fire/in/dem.tif", "--out", "s3://fire/out/sharded-features/",
                                "--shards", "3", "--threads", "1"] + fire, extra: ["JOB_COMPLETION_INDEX=\(index)"])
        }
        fireShards.forEach { $0.waitUntilExit() }
        #expect(fireShards.allSatisfy { $0.terminationStatus == 0 })
        try s3.get(bucket: "fire", prefix: "out/sharded-features/", into: dir.file("sharded-features"))
        #expect(try fileTree(dir.file("sharded-features")) == ours, "three shards on S3 wrote what one run wrote, catalog included")
        for index in [1, 0] {
            let part = try swath(s3, ["wildfire", "--db", localDB, "--dem", dir.file("dem.tif"), "--out", dir.file("local-sharded"),
                                      "--shard", "\(index)/2"] + fire)
            #expect(part.status == 0, "\(part.stderr)")
            #expect(part.stdout.contains(index == 0 ? "written by this shard, the last to finish" : "when the other shards have finished"))
        }
        #expect(try fileTree(dir.file("local-sharded")) == theirs, "two shards into a folder wrote what one run wrote")
        let whole = try swath(s3, ["wildfire", "--db", localDB, "--project", "1", "--scene", "2", "--out", dir.file("refused"),
                                   "--shard", "0/2", "--chip-size", "0", "--status", "open"])
        #expect(whole.status == 1 && whole.stderr.contains("--shard needs chips"), "\(whole.stderr)")

        let export = ["--project", "1", "--chip-size", "32", "--status", "open", "--background-ratio", "1"]
        let remoteExport = try swath(s3, ["export", "--db", remoteDB, "--out", "s3://fire/out/export/"] + export, extra: key)
        #expect(remoteExport.status == 0, "\(remoteExport.stderr)")
        #expect(try swath(s3, ["export", "--db", remoteDB, "--out", dir.file("local-export")] + export, extra: key).status == 0)
        let shards = try (0..<3).map { index in
            try startSwath(s3, ["export", "--db", remoteDB, "--out", "s3://fire/out/sharded/", "--shards", "3", "--threads", "1"] + export,
                           extra: key + ["AWS_BATCH_JOB_ARRAY_INDEX=\(index)"])
        }
        shards.forEach { $0.waitUntilExit() }
        #expect(shards.allSatisfy { $0.terminationStatus == 0 })
        try s3.get(bucket: "fire", prefix: "out/export/", into: dir.file("remote-export"))
        try s3.get(bucket: "fire", prefix: "out/sharded/", into: dir.file("sharded-export"))
        let exported = try fileTree(dir.file("local-export"))
        #expect(exported.keys.contains("manifest.jsonl") && exported.keys.filter { $0.hasSuffix("image.tif") }.count == 8)  // 2 scenes of 64² in 32² chips
        #expect(try fileTree(dir.file("remote-export")) == exported)
        #expect(try fileTree(dir.file("sharded-export")) == exported)
    }
}

/// Overviews under an S3 prefix, shared by servers on several machines.
@Suite(.serialized) struct ObjectOverviewTests {
    /// `swath ingest --overview-dir s3://…` uploads the pyramid (the VRT last); `swath serve` with the same
    /// prefix draws a low zoom from it, by the bytes the S3 server sent for the `.vrt.ovr`.
    @Test func overviewsOnS3AreBuiltByIngestAndReadByTheServer() async throws {
        let s3 = try MotoS3()
        try s3.put(Fixture.path("utm_multiband.tif"), bucket: "shared", key: "seed.tif")
        let dir = try TemporaryDirectory("s3-overviews")
        let big = dir.file("big.tif")
        let made = try Shell.run("gdal_translate", ["-q", "-outsize", "2100", "1500", "-co", "TILED=YES", Fixture.path("utm_multiband.tif"), big])
        #expect(made.status == 0, "\(made.stderr)")
        let db = dir.file("overviews.sqlite")
        let run = { (arguments: [String]) in try Shell.run("/usr/bin/env", s3.environment + [Fixture.swathBinary] + arguments) }
        #expect(try run(["admin", "create-project", "--db", db, "--customer", "C", "--codename", "EGRET", "--tile-size", "512"]).status == 0)
        let ingested = try run(["ingest", "--db", db, "--project", "1", big, "--overview-dir", "s3://shared/overviews/"])
        #expect(ingested.status == 0, "\(ingested.stderr)")
        try s3.get(bucket: "shared", prefix: "overviews/", into: dir.file("downloaded"))
        let names = try FileManager.default.contentsOfDirectory(atPath: dir.file("downloaded")).sorted()
        #expect(names.count == 2 && names[0].hasSuffix(".vrt") && names[1] == names[0] + ".ovr", "\(names)")
        let info = try GDALTools.info(dir.file("downloaded") + "/" + names[0])
        let levels = ((info["bands"] as? [[String: Any]])?.first?["overviews"] as? [[String: Any]]) ?? []
        #expect(levels.count == 4, "2100 × 1500 halved until it fits 256 pixels")
        #expect(!FileManager.default.fileExists(atPath: big + ".ovr"), "nothing written beside the scene")

        var environment: [String: String] = ["SWATH_ADMIN_TOKEN": TokenForTests.admin]
        for pair in s3.environment {
            let parts = pair.split(separator: "=", maxSplits: 1).map(String.init)
            environment[parts[0]] = parts[1]
        }
        let server = try ServerProcess(database: db, environment: environment, arguments: ["--overview-dir", "s3://shared/overviews/"])
        let tilejson = try #require(try await http("GET", server.base + "/api/v1/scenes/1/tilejson", token: TokenForTests.admin).body as? [String: Any])
        let bounds = try #require(tilejson["bounds"] as? [Double])
        let zoom = try #require(tilejson["nativeZoom"] as? Int) - 4  // a sixteenth of full resolution: an overview level
        let (lon, lat) = ((bounds[0] + bounds[2]) / 2, (bounds[1] + bounds[3]) / 2)
        let scale = Double(1 << zoom)
        let x = Int((lon + 180) / 360 * scale)
        let y = Int((1 - log(tan(lat * .pi / 180) + 1 / cos(lat * .pi / 180)) / .pi) / 2 * scale)
        let tile = try await http("GET", server.base + "/api/v1/scenes/1/tiles/\(zoom)/\(x)/\(y).png", token: TokenForTests.admin)
        #expect(tile.status == 200, "z\(zoom) \(x)/\(y): \(tile.status)")
        #expect(try s3.servedBytes("/shared/overviews/\(names[1])") > 0, "the low zoom was drawn from the overviews on S3")
        #expect(server.terminate() == 0)
    }

    /// A chip cache on S3 is shared by servers: without SWATH_EXPORT_KEY their pseudonyms would differ,
    /// and a missing bucket is the operator's to fix at start; neither message shows a secret.
    @Test func serveChecksASharedChipCacheAtStart() throws {
        let s3 = try MotoS3()
        let dir = try TemporaryDirectory("s3-chip-cache")
        let db = dir.file("chips.sqlite")
        let run = { (environment: [String], arguments: [String]) in
            try Shell.run("/usr/bin/env", s3.environment + environment + [Fixture.swathBinary, "serve", "--db", db, "--port", "0"] + arguments)
        }
        let noKey = try run([], ["--chip-cache", "s3://chips/shared/"])
        #expect(noKey.status != 0 && noKey.stderr.contains("SWATH_EXPORT_KEY"), "\(noKey.stderr)")
        let shortKey = try run(["SWATH_EXPORT_KEY=short"], ["--chip-cache", "s3://chips/shared/"])
        #expect(shortKey.status != 0 && shortKey.stderr.contains("32 characters") && !shortKey.stderr.contains("=short"), "\(shortKey.stderr)")
        let key = "SWATH_EXPORT_KEY=" + String(repeating: "k", count: 40)
        let noBucket = try run([key], ["--chip-cache", "s3://no-such-chips/shared/"])
        #expect(noBucket.status != 0 && noBucket.stderr.contains("s3://no-such-chips/shared/"), "\(noBucket.stderr)")
        #expect(!(noKey.stderr + noBucket.stderr).contains(MotoS3.secret) && !noBucket.stderr.contains(String(repeating: "k", count: 40)))
        let badPrefix = try run([key], ["--chip-cache", "s3://chips/a/../b/"])
        #expect(badPrefix.status != 0 && badPrefix.stderr.contains("--chip-cache"), "\(badPrefix.stderr)")
    }
}
