import Foundation
import SwathGeo
@testable import SwathMap
import SwathTestSupport
import Testing

/// Percentile stretches against numpy on the same decimated samples, and a
/// rendered tile against gdalwarp's pixels stretched by hand.
@Suite struct StretchTests {
    @Test func quantilesMatchNumpy() throws {
        let scene = try MapFixture.scene()
        for band in 1...4 {
            let ours = try #require(try MapRenderer.measure(scene, path: scene.uri, band: band))
            let expected = try numpyPercentiles(band: band, percents: [2, 98, 0, 100, 50])
            #expect(ours.values[20] == expected[0], "band \(band) p2")
            #expect(ours.values[980] == expected[1], "band \(band) p98")
            #expect(ours.range(.minMax) == (expected[2], expected[3]), "band \(band) min/max")
            #expect(ours.values[500] == expected[4], "band \(band) median")
        }
    }

    @Test func constantOrEmptyBandsDoNotDivideByZero() {
        let constant = BandQuantiles(samples: [7, 7, 7], noData: nil)!
        #expect(constant.range(.standard) == (7, 8))
        #expect(BandQuantiles(samples: [0, 0, .nan], noData: 0) == nil)
    }

    @Test func renderedTileIsGdalwarpStretchedByHand() async throws {
        let scene = try MapFixture.scene()
        let tile = try MapFixture.tile(containing: MapFixture.centreLonLat(), zoom: 15)
        let directory = try TemporaryDirectory()
        let renderer = MapRenderer(overviews: SceneOverviews(directory: directory.url.appendingPathComponent("overviews")))
        guard case .image(let png) = try await renderer.tile(scene, at: tile, bands: .preset(.falseColor), stretch: .standard) else {
            Issue.record("expected an image")
            return
        }
        try Data(png).write(to: URL(fileURLWithPath: directory.file("tile.png")))
        let decoded = try Raster.open(directory.file("tile.png"))
        #expect(decoded.bandCount == 4 && decoded.width == 256 && decoded.driverName == "PNG")
        let rgba = try decoded.read(decoded.bounds, as: UInt8.self)
        let reference = try MapFixture.gdalwarp(scene.uri, tile: tile, resampling: "near", overview: "NONE", in: directory)
        let plane = 256 * 256
        var close = 0, valid = 0, transparentAgree = 0
        let ranges = try [4, 3, 2].map { band -> (Float, Float) in
            let p = try numpyPercentiles(band: band, percents: [2, 98])
            return (p[0], p[1])
        }
        for pixel in 0..<plane {
            let hasData = reference[4 * plane + pixel] > 0
            if hasData == (rgba[3 * plane + pixel] == 255) { transparentAgree += 1 }
            guard hasData else { continue }
            valid += 1
            let matches = [4, 3, 2].enumerated().allSatisfy { channel, band in
                let (low, high) = ranges[channel]
                let expected = min(max((reference[(band - 1) * plane + pixel] - low) * 255 / (high - low), 0), 255).rounded()
                return abs(Float(rgba[channel * plane + pixel]) - expected) <= 1
            }
            if matches { close += 1 }
        }
        #expect(valid > 5_000)
        #expect(Double(close) >= 0.99 * Double(valid), "\(close) of \(valid) pixels within 1 of the hand stretch")
        #expect(Double(transparentAgree) >= 0.99 * Double(plane))
    }

    @Test func tilesBesideTheSceneAreOutsideAndNodataIsTransparent() async throws {
        let scene = try MapFixture.scene()
        let directory = try TemporaryDirectory()
        let renderer = MapRenderer(overviews: SceneOverviews(directory: directory.url))
        let centre = try MapFixture.centreLonLat()
        let far = try MapFixture.tile(containing: Point(x: centre.x + 1, y: centre.y), zoom: 15)
        #expect(try await renderer.tile(scene, at: far, bands: .automatic, stretch: .standard) == .outside)
    }

    /// numpy's percentile (method "lower") over the same decimated read GDAL gives Python.
    private func numpyPercentiles(band: Int, percents: [Double]) throws -> [Float] {
        let script = """
        import sys, numpy as np
        from osgeo import gdal
        ds = gdal.Open(sys.argv[1]); b = ds.GetRasterBand(int(sys.argv[2]))
        scale = min(1.0, 1024.0 / max(ds.RasterXSize, ds.RasterYSize))
        w = max(1, int(round(ds.RasterXSize * scale))); h = max(1, int(round(ds.RasterYSize * scale)))
        a = b.ReadAsArray(buf_xsize=w, buf_ysize=h).astype(np.float32).ravel()
        nd = b.GetNoDataValue()
        a = a[np.isfinite(a)]
        if nd is not None: a = a[a != np.float32(nd)]
        print(" ".join(repr(float(np.percentile(a, float(p), method="lower"))) for p in sys.argv[3:]))
        """
        let result = try Shell.run("/usr/bin/python3", ["-c", script, MapFixture.path, "\(band)"] + percents.map { "\($0)" })
        #expect(result.status == 0, "\(result.stderr)")
        return result.stdout.split(separator: " ").compactMap { Float($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
    }
}
