import Foundation
import Testing
import SwathGeo
import SwathTestSupport
@testable import SwathTiling

@Suite struct TilerResumeTests {
    private func options(_ configure: (inout TileOptions) -> Void = { _ in }) -> TileOptions {
        var options = TileOptions()
        options.size = 32
        options.threads = 2
        configure(&options)
        return options
    }

    @Test func interruptedRunResumesToTheSameTiles() throws {
        let scene = Fixture.path("utm_multiband.tif")
        let reference = try TemporaryDirectory()
        _ = try Tiler(source: scene, outDir: reference.url, options: options()).run()

        let dir = try TemporaryDirectory()
        let cancellation = CancellationFlag()
        #expect(throws: TilingError.self) {
            try Tiler(source: scene, outDir: dir.url, options: options()).run(cancellation: cancellation) { progress in
                if progress.completed >= 10 { cancellation.cancel() }
            }
        }
        let partial = try listing(dir).filter { $0.hasSuffix(".tif") }
        #expect(partial.count >= 10 && partial.count < 48)
        #expect(!(try listing(dir)).contains("index.geojson"))

        let report = try Tiler(source: scene, outDir: dir.url, options: options { $0.resume = true }).run()
        #expect(report.resumed == partial.count)
        #expect(report.written == 48 - partial.count)
        for name in try listing(reference).filter({ $0.hasSuffix(".tif") }) {
            #expect(try GDALTools.checksums(dir.file(name)) == GDALTools.checksums(reference.file(name)), "\(name)")
        }
        let resumedIndex = try Data(contentsOf: dir.url.appendingPathComponent("index.geojson"))
        let freshIndex = try Data(contentsOf: reference.url.appendingPathComponent("index.geojson"))
        #expect(resumedIndex.count == freshIndex.count)
    }

    @Test func resumeRedoesTilesWhoseFilesWentMissingAndClearsTemporaries() throws {
        let dir = try TemporaryDirectory()
        let scene = Fixture.path("utm_multiband.tif")
        _ = try Tiler(source: scene, outDir: dir.url, options: options()).run()
        try FileManager.default.removeItem(atPath: dir.file("r0002_c0003.tif"))
        try Data("half a tile".utf8).write(to: dir.url.appendingPathComponent(".r0002_c0003.tif.part"))
        let report = try Tiler(source: scene, outDir: dir.url, options: options { $0.resume = true }).run()
        #expect(report.written == 1 && report.resumed == 47)
        #expect(FileManager.default.fileExists(atPath: dir.file("r0002_c0003.tif")))
        #expect(!(try listing(dir)).contains { $0.hasSuffix(".part") })
    }

    @Test func resumeWithOtherOptionsIsRefused() throws {
        let dir = try TemporaryDirectory()
        let scene = Fixture.path("utm_multiband.tif")
        _ = try Tiler(source: scene, outDir: dir.url, options: options()).run()
        do {
            _ = try Tiler(source: scene, outDir: dir.url, options: options { $0.size = 64; $0.resume = true }).run()
            Issue.record("resumed a 32-pixel job as a 64-pixel one")
        } catch let error as TilingError {
            #expect(error.description.contains("cannot resume"))
            #expect(error.description.contains("size 32"))
        }
    }
}
