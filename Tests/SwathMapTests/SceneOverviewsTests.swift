import Foundation
import SwathGeo
@testable import SwathMap
import SwathTestSupport
import Testing

/// Overviews built at ingest for a scene without them, against gdaladdo.
@Suite struct SceneOverviewsTests {
    @Test func buildsTheSameLevelsAsGdaladdoWithoutTouchingTheScene() throws {
        let directory = try TemporaryDirectory()
        let scene = directory.file("big.tif")
        // A 2100 × 1500 scene without overviews, made from the fixture by GDAL.
        let made = try Shell.run("gdal_translate", ["-q", "-outsize", "2100", "1500", "-r", "bilinear", "-co", "TILED=YES",
                                                    MapFixture.path, scene])
        #expect(made.status == 0, "\(made.stderr)")
        let before = try Data(contentsOf: URL(fileURLWithPath: scene))
        let overviews = SceneOverviews(directory: directory.url.appendingPathComponent("overviews"))
        #expect(overviews.renderPath(for: scene) == scene)
        #expect(try overviews.build(for: scene))
        #expect(try overviews.build(for: scene) == false, "a second build finds them")
        let vrt = overviews.renderPath(for: scene)
        #expect(vrt.hasSuffix(".vrt") && vrt.hasPrefix(directory.path + "/overviews/"))
        #expect(try Data(contentsOf: URL(fileURLWithPath: scene)) == before, "the scene file is untouched")
        #expect(!FileManager.default.fileExists(atPath: scene + ".ovr"))
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: directory.file("overviews")).filter { $0.contains("part") }
        #expect(leftovers.isEmpty)

        // gdaladdo on a copy, same factors and resampling: identical pixels per level.
        let copy = directory.file("copy.tif")
        try FileManager.default.copyItem(atPath: scene, toPath: copy)
        let added = try Shell.run("gdaladdo", ["-q", "-ro", "-r", "average", copy, "2", "4", "8", "16"])
        #expect(added.status == 0, "\(added.stderr)")
        let ours = try GDALTools.info(vrt, checksum: true)
        let theirs = try GDALTools.info(copy, checksum: true)
        let ourOverviews = try #require(((ours["bands"] as? [[String: Any]])?.first?["overviews"]) as? [[String: Any]])
        let gdalOverviews = try #require(((theirs["bands"] as? [[String: Any]])?.first?["overviews"]) as? [[String: Any]])
        #expect(ourOverviews.map { $0["size"] as! [Int] } == gdalOverviews.map { $0["size"] as! [Int] })
        #expect(ourOverviews.map { $0["checksum"] as! Int } == gdalOverviews.map { $0["checksum"] as! Int })
        #expect(ourOverviews.count == 4, "down to one 256-pixel tile: 1050, 525, 263, 132 wide")
    }

    @Test func smallScenesAndScenesWithOverviewsAreLeftAlone() throws {
        let directory = try TemporaryDirectory()
        let overviews = SceneOverviews(directory: directory.url)
        #expect(try overviews.build(for: MapFixture.path) == false)
        #expect(overviews.renderPath(for: MapFixture.path) == MapFixture.path)
    }

    @Test func missingSceneIsAnError() {
        let overviews = SceneOverviews(directory: URL(fileURLWithPath: "/tmp"))
        #expect(throws: GeoError.fileNotFound(path: "/nonexistent/scene.tif")) { try overviews.build(for: "/nonexistent/scene.tif") }
    }

    @Test func factorsStopAtOneTile() {
        #expect(SceneOverviews.factors(width: 10980, height: 10980) == [2, 4, 8, 16, 32, 64])
        #expect(SceneOverviews.factors(width: 300, height: 200) == [2])
    }
}
