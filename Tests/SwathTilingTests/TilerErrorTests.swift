import Foundation
import Testing
import SwathGeo
import SwathTestSupport
@testable import SwathTiling

/// Every bad input: a clear error naming it, and nothing under a final name.
@Suite struct TilerErrorTests {
    @Test func badSizesAreRefusedBeforeAnyWork() throws {
        let dir = try TemporaryDirectory()
        #expect(throws: TilingError.invalidOption("--size", "must be a positive number of pixels, got 0")) {
            try tile("utm_multiband.tif", in: dir) { $0.size = 0 }
        }
        #expect(throws: TilingError.self) { try tile("utm_multiband.tif", in: dir) { $0.size = 64; $0.overlap = 64 } }
        #expect(throws: TilingError.self) { try tile("utm_multiband.tif", in: dir) { $0.compression = .lzw; $0.level = 3 } }
        #expect(throws: TilingError.self) { try tile("utm_multiband.tif", in: dir) { $0.predictor = 3 } }
        #expect(try listing(dir).isEmpty)
    }

    @Test func unknownBandNamesTheBandAndTheScene() throws {
        let dir = try TemporaryDirectory()
        do {
            _ = try tile("utm_multiband.tif", in: dir) { $0.bands = [1, 5] }
            Issue.record("band 5 of a 4-band scene was accepted")
        } catch let error as GeoError {
            #expect(error.description.contains("band 5"))
            #expect(error.description.contains("utm_multiband.tif has 4 bands"))
        }
        #expect(try listing(dir).isEmpty)
    }

    @Test func outputFolderThatIsAFileIsRefused() throws {
        let dir = try TemporaryDirectory()
        let file = dir.file("occupied")
        try Data("x".utf8).write(to: URL(fileURLWithPath: file))
        for target in [file, file + "/below"] {
            var options = TileOptions()
            options.size = 64
            #expect(throws: TilingError.self) {
                try Tiler(source: Fixture.path("utm_multiband.tif"), outDir: URL(fileURLWithPath: target), options: options).run()
            }
        }
    }

    @Test func absurdDimensionsAreRefusedWithoutAllocating() throws {
        let dir = try TemporaryDirectory()
        do {
            _ = try tile("absurd.tif", in: dir)
            Issue.record("a 10^6 × 10^6 header was tiled")
        } catch let error as TilingError {
            #expect(error.description.contains("absurd.tif"))
            #expect(error.description.contains("1000000 × 1000000"))
        }
        // With tiles large enough to pass the tile-count limit, the first read fails cleanly instead.
        do {
            _ = try tile("absurd.tif", in: dir) { $0.size = 4096 }
            Issue.record("reading a 100-byte file as 10^12 pixels succeeded")
        } catch let error as GeoError {
            #expect(error.description.contains("absurd.tif"))
        }
        #expect(!(try listing(dir)).contains("index.geojson"))
        #expect(!(try listing(dir)).contains { $0.hasSuffix(".part") })
    }

    @Test func truncatedSceneStopsWithTheFileNamedAndNoIndex() throws {
        let dir = try TemporaryDirectory()
        do {
            _ = try tile("truncated.tif", in: dir) { $0.size = 64 }
            Issue.record("a truncated scene tiled without error")
        } catch let error as GeoError {
            #expect(error.description.contains("truncated.tif"))
        }
        let names = try listing(dir)
        #expect(!names.contains("index.geojson"))
        #expect(!names.contains { $0.hasSuffix(".part") })
        // Whatever tiles were finished before the failure are whole: GDAL reads each one.
        for name in names where name.hasSuffix(".tif") {
            #expect(try GDALTools.checksums(dir.file(name)).count == 4)
        }
    }

    @Test func missingAndNonRasterInputsAreNamed() throws {
        let dir = try TemporaryDirectory()
        #expect(throws: GeoError.fileNotFound(path: "/no/such/scene.tif")) {
            try Tiler(source: "/no/such/scene.tif", outDir: dir.url, options: TileOptions()).run()
        }
        #expect(throws: GeoError.self) { try tile("not_a_raster.tif", in: dir) }
        #expect(try listing(dir).isEmpty)
    }
}
