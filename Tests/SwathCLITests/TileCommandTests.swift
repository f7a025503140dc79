import Foundation
import Synchronization
import Testing
import SwathGeo
import SwathTestSupport

@Suite struct TileCommandTests {
    @Test func defaultOutputIsTilesSceneName() throws {
        let cwd = try TemporaryDirectory()
        let result = try swath(["tile", Fixture.path("utm_multiband.tif"), "--size", "128"], in: cwd.path)
        #expect(result.status == 0)
        #expect(result.stdout.contains("tiled") && result.stdout.contains("4 tiles"))
        #expect(tileFiles(in: cwd.file("tiles/utm_multiband")) == ["r0000_c0000.tif", "r0000_c0001.tif", "r0001_c0000.tif", "r0001_c0001.tif"])
        #expect(FileManager.default.fileExists(atPath: cwd.file("tiles/utm_multiband/index.geojson")))
        #expect(result.stderr.isEmpty, "no progress bar when stderr is not a terminal")
    }

    @Test(arguments: [
        (["--size", "0"], "--size"),
        (["--size", "64", "--overlap", "64"], "--overlap"),
        (["--bands", "1,9"], "band 9"),
        (["--bands", "1,x"], "--bands"),
        (["--level", "30"], "--level"),
        (["--format", "jpeg"], "JPEG"),
    ])
    func badOptionsAreOneClearLine(_ options: [String], _ mentioned: String) throws {
        let out = try TemporaryDirectory()
        let result = try swath(["tile", Fixture.path("utm_multiband.tif"), "--out", out.path] + options)
        #expect(result.status != 0)
        let lines = errorLines(result)
        #expect(lines.count == 1, "\(lines)")
        #expect(lines.first?.hasPrefix("swath: error:") == true)
        #expect(lines.first?.contains(mentioned) == true, "\(lines)")
        #expect(tileFiles(in: out.path).isEmpty)
    }

    @Test(arguments: ["not_a_raster.tif", "truncated.tif", "absurd.tif"])
    func brokenScenesAreNamedAndLeaveNoIndex(_ name: String) throws {
        let out = try TemporaryDirectory()
        let result = try swath(["tile", Fixture.path(name), "--out", out.path, "--size", "64"])
        #expect(result.status == 1)
        let lines = errorLines(result)
        #expect(lines.count == 1, "\(lines)")
        #expect(lines.first?.contains(name) == true)
        #expect(!FileManager.default.fileExists(atPath: out.file("index.geojson")))
        #expect(!result.stderr.contains("ERROR 1"), "GDAL must not print behind swath's back")
    }

    @Test func verboseShowsGDALsOwnMessages() throws {
        let out = try TemporaryDirectory()
        let result = try swath(["tile", Fixture.path("truncated.tif"), "--out", out.path, "--size", "64", "--threads", "1", "--verbose"])
        #expect(result.status == 1)
        #expect(result.stderr.contains("GDAL error"))
    }

    @Test func unwritableOutputFolderIsNamed() throws {
        let dir = try TemporaryDirectory()
        let file = dir.file("plain-file")
        try Data("x".utf8).write(to: URL(fileURLWithPath: file))
        let result = try swath(["tile", Fixture.path("utm_multiband.tif"), "--out", file + "/tiles"])
        #expect(result.status == 1)
        #expect(errorLines(result).first?.contains("\(file)/tiles: cannot write tiles there") == true)
    }

    @Test func sceneWithoutCRSWarnsAndStillTiles() throws {
        let out = try TemporaryDirectory()
        let result = try swath(["tile", Fixture.path("no_crs.tif"), "--out", out.path, "--size", "50"])
        #expect(result.status == 0)
        #expect(result.stderr.contains("swath: warning:") && result.stderr.contains("no CRS"))
        #expect(tileFiles(in: out.path).count == 4)
    }

    /// Three processes at once, each told its shard as a batch engine would (Kubernetes' and AWS Batch's
    /// variables), make the same folder as one run: every tile and the index, byte for byte.
    @Test func shardsFromTheBatchEnginesIndexMakeWhatOneRunMakes() throws {
        let dir = try TemporaryDirectory("tile-shards")
        let scene = Fixture.path("utm_multiband.tif")
        let whole = try swath(["tile", scene, "--size", "32", "--out", dir.file("whole")])
        #expect(whole.status == 0, "\(whole.stderr)")
        let results = Mutex<[Int: ShellResult]>([:])
        DispatchQueue.concurrentPerform(iterations: 3) { index in
            let variable = index == 1 ? "AWS_BATCH_JOB_ARRAY_INDEX" : "JOB_COMPLETION_INDEX"
            let result = try? Shell.run("/usr/bin/env", ["\(variable)=\(index)", Fixture.swathBinary, "tile", scene, "--size", "32",
                                                         "--out", dir.file("sharded"), "--shards", "3"])
            results.withLock { $0[index] = result }
        }
        let finished = results.withLock { $0 }
        #expect(finished.count == 3 && finished.values.allSatisfy { $0.status == 0 }, "\(finished.values.map(\.stderr))")
        #expect(finished.values.filter { $0.stdout.contains("written by this shard") }.count >= 1)
        let names = try FileManager.default.contentsOfDirectory(atPath: dir.file("whole")).filter { !$0.hasPrefix(".") }.sorted()
        #expect(names.count == 49 && names.contains("index.geojson"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.file("sharded")).filter { !$0.hasPrefix(".") }.sorted() == names)
        for name in names {
            let ours = try Data(contentsOf: URL(fileURLWithPath: dir.file("sharded") + "/" + name))
            #expect(ours == (try Data(contentsOf: URL(fileURLWithPath: dir.file("whole") + "/" + name))), "\(name)")
        }

        let lost = try swath(["tile", scene, "--size", "32", "--out", dir.file("lost"), "--shards", "3"])
        #expect(lost.status == 1 && lost.stderr.contains("JOB_COMPLETION_INDEX or AWS_BATCH_JOB_ARRAY_INDEX"), "\(lost.stderr)")
        let both = try swath(["tile", scene, "--size", "32", "--out", dir.file("both"), "--shard", "0/3", "--shards", "3"])
        #expect(both.status == 1 && both.stderr.contains("not both"), "\(both.stderr)")
    }
}
