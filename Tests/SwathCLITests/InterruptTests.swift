import Foundation
import Testing
import SwathGeo
import SwathTestSupport

/// The real binary stopped mid-run, by Ctrl-C and by SIGKILL, then resumed.
@Suite(.serialized) struct InterruptTests {
    static let arguments = ["--size", "64", "--threads", "1", "--compress", "deflate", "--level", "9"]

    private func start(_ scene: String, out: String, extra: [String] = []) throws -> (Process, Pipe) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Fixture.swathBinary)
        process.arguments = ["tile", scene, "--out", out] + Self.arguments + extra
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        return (process, errors)
    }

    @Test(arguments: [SIGINT, SIGKILL])
    func stoppedRunResumesToACompleteIndex(_ signal: Int32) throws {
        let dir = try TemporaryDirectory()
        let scene = dir.file("noisy.tif")
        try makeNoisyScene(at: scene, size: 1536)
        let out = dir.file("tiles")
        let (process, errors) = try start(scene, out: out)
        #expect(waitUntil(timeout: 60) { tileFiles(in: out).count >= 5 })
        kill(process.processIdentifier, signal)
        let stderr = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()

        if signal == SIGINT {
            #expect(process.terminationStatus == 130)
            #expect(stderr.contains("interrupted") && stderr.contains("--resume"))
            let hidden = ((try? FileManager.default.contentsOfDirectory(atPath: out)) ?? []).filter { $0.hasSuffix(".part") }
            #expect(hidden.isEmpty, "a clean stop leaves no temporary files")
        }
        #expect(!FileManager.default.fileExists(atPath: out + "/index.geojson"))
        let done = tileFiles(in: out)
        #expect(done.count < 576, "stopped before the end")
        for name in done.prefix(3) { #expect(try GDALTools.checksums(out + "/" + name).count == 4) }

        let resumed = try swath(["tile", scene, "--out", out, "--resume"] + Self.arguments)
        #expect(resumed.status == 0, "\(resumed.stderr)")
        #expect(resumed.stdout.contains("already done"))
        #expect(tileFiles(in: out).count == 576)  // 1536 / 64 = 24 × 24
        let index = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out + "/index.geojson"))) as! [String: Any]
        #expect((index["features"] as! [Any]).count == 576)
    }
}
