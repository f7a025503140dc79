import Foundation
import SwathGeo
import SwathTestSupport
import Testing

/// `swath wildfire` through the real binary: a database with a pre/post pair,
/// a burn scar imported as a label, chips on the export grid.
@Suite struct WildfireCommandTests {
    @Test func extractsChipsWithFireFeaturesAndRefusesBadInput() throws {
        let directory = try TemporaryDirectory("swath-wildfire-cli")
        let made = try Shell.run("/usr/bin/python3", [Fixture.path("make_wildfire_inputs.py"), directory.path])
        #expect(made.status == 0, "\(made.stderr)")
        let db = directory.file("fire.sqlite")
        let roles = "red=3,nir=4,swir1=5,swir2=6"
        #expect(try swath(["admin", "create-project", "--db", db, "--customer", "C", "--codename", "EMBER", "--tile-size", "64"]).status == 0)
        #expect(try swath(["ingest", "--db", db, "--project", "1", directory.file("pre.tif"), "--band-roles", roles]).status == 0)
        let post = try swath(["ingest", "--db", db, "--project", "1", directory.file("post.tif"), "--band-roles", roles, "--pre-event", "1"])
        #expect(post.status == 0, "\(post.stderr)")
        let imported = try swath(["import", "--db", db, "--scene", "2", directory.file("burn.gpkg"), "--class", "204"])
        #expect(imported.status == 0, "\(imported.stdout)\(imported.stderr)")

        let out = directory.file("features")
        let run = try swath(["wildfire", "--db", db, "--project", "1", "--scene", "2", "--dem", directory.file("dem.tif"),
                             "--out", out, "--chip-size", "32", "--status", "open", "--scale", "0.0001", "--offset=-0.1"])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains("wrote 4 file(s), 26 feature bands each"), "\(run.stdout)")
        let catalog = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out + "/features.json"))) as! [String: Any]
        let names = (catalog["bands"] as! [[String: Any]]).map { $0["name"] as! String }
        #expect(names.contains("dnbr") && names.contains("slope_deg") && names.contains("fire_distance_m"))
        let chip = try Raster.open(out + "/chips/r0_c0.tif")
        let burned = names.firstIndex(of: "burned")! + 1
        let values = try chip.read(chip.bounds, bands: [burned], as: Float.self)
        // The imported square covers columns 15–34, rows 15–29; this chip holds columns 0–31, rows 0–31.
        #expect(values.filter { $0 == 1 }.count == (32 - 15) * (30 - 15))
        // Per-chip summaries add up to the whole burn scar: 20 × 15 pixels of 100 m² = 3 ha.
        let summary = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out + "/summary.json"))) as! [[String: Any]]
        #expect(summary.count == 4)
        #expect(abs(summary.map { $0["burnedAreaHectares"] as! Double }.reduce(0, +) - 3) < 1e-9)
        #expect(summary.allSatisfy { $0["severityHistogram"] is [String: Any] && $0["meanSlopeDegrees"] is Double })

        // The same stacks as an export format: each chip's wildfire.tif equals the scene stack's window.
        let whole = directory.file("whole")
        #expect(try swath(["wildfire", "--db", db, "--project", "1", "--scene", "2", "--dem", directory.file("dem.tif"), "--out", whole,
                           "--chip-size", "0", "--status", "open", "--scale", "0.0001", "--offset=-0.1"]).status == 0)
        let exported = directory.file("export")
        let export = try swath(["export", "--db", db, "--project", "1", "--out", exported, "--chip-size", "32", "--status", "open",
                                "--formats", "geojson,wildfire", "--background-ratio", "1", "--dem", directory.file("dem.tif"),
                                "--reflectance-scale", "0.0001", "--reflectance-offset=-0.1"])
        #expect(export.status == 0, "\(export.stderr)")
        let stack = try Raster.open(whole + "/features.tif")
        let stackNames = stack.bands.map(\.description)
        // Scene 2's chips (scene 1, the pre-fire scene, gets its own post-only stacks).
        let chipFolders = try FileManager.default.contentsOfDirectory(atPath: exported + "/chips").filter { $0.hasPrefix("s2_") }
        #expect(chipFolders.count == 4)
        for folder in chipFolders {
            let chip = try Raster.open(exported + "/chips/\(folder)/wildfire.tif")
            #expect(chip.bands.map(\.description) == stackNames, "\(folder)")
            let origin = chip.geoTransform!.coefficients
            let window = Window(col: Int((origin[0] - 600000) / 10), row: Int((4300000 - origin[3]) / 10), width: chip.width, height: chip.height)
            // Export chips are padded past the scene's edge: nodata there, the scene stack's values inside.
            let inside = try #require(window.intersection(stack.bounds))
            let local = Window(col: inside.col - window.col, row: inside.row - window.row, width: inside.width, height: inside.height)
            #expect(try chip.read(local, as: Float.self) == stack.read(inside, as: Float.self), "\(folder) at \(window)")
            let all = try chip.read(chip.bounds, as: Float.self)
            let padded = all.count - inside.pixelCount * stackNames.count
            #expect(all.filter { $0 == -9999 }.count >= padded, "\(folder): padding is nodata")
        }

        // Bad input: one line naming the problem, a failing status, nothing written.
        let badOut = directory.file("bad")
        for (arguments, words) in [
            (["--scene", "2", "--features", "slope_deg"], "need"),
            (["--scene", "2", "--features", "ndwi"], "unknown feature 'ndwi'"),
            (["--scene", "9"], "scene 9 not found"),
            (["--scene", "2", "--dem", directory.file("dem_small.tif")], "does not cover the scene"),
        ] {
            let result = try swath(["wildfire", "--db", db, "--project", "1", "--out", badOut, "--status", "open"] + arguments)
            #expect(result.status != 0, "\(arguments)")
            #expect(errorLines(result).count == 1 && result.stderr.contains(words), "\(arguments): \(result.stderr)")
        }
        #expect(!FileManager.default.fileExists(atPath: badOut + "/features.tif"))
        #expect(!FileManager.default.fileExists(atPath: badOut + "/features.json"))
    }
}
