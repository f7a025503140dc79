import Foundation
import SwathGeo
import SwathTestSupport
@testable import SwathWildfire
import Testing

/// Bad inputs say what is wrong and leave nothing under a final name; chips
/// sit on the export grid.
@Suite struct WildfireInputTests {
    @Test func badInputsAreNamedAndLeaveNothing() throws {
        let fixture = try WildfireFixture()
        let cases: [(String, () throws -> Void)] = [
            ("no band role swir2", {
                _ = try WildfireExtractor.run(post: SceneInput(path: fixture.path("post.tif"), bandRoles: ["red": 3, "nir": 4], label: "scene 2"),
                                              pre: nil, dem: nil, options: WildfireOptions(features: ["nbr_post"], chipSize: 0),
                                              output: fixture.directory.url.appendingPathComponent("bad"))
            }),
            ("does not cover the scene", { _ = try fixture.stack(features: ["terrain"], dem: "dem_small.tif", out: "bad") }),
            ("unknown feature 'ndwi'", { _ = try fixture.stack(features: ["ndwi"], out: "bad") }),
            ("needs a pre-fire scene", { _ = try fixture.stack(features: ["dnbr"], withPre: false, out: "bad") }),
            ("needs a DEM", { _ = try fixture.stack(features: ["slope_deg"], out: "bad") }),
            ("--chip-size", { _ = try fixture.stack(features: nil, chipSize: 5, out: "bad") }),
            ("no such file", { _ = try fixture.stack(features: ["terrain"], dem: "missing.tif", out: "bad") }),
        ]
        for (words, run) in cases {
            #expect { try run() } throws: { error in
                "\(error)".contains(words)
            }
        }
        let left = (try? FileManager.default.contentsOfDirectory(atPath: fixture.path("bad"))) ?? []
        #expect(left.allSatisfy { !$0.hasSuffix(".tif") && !$0.hasSuffix(".part") && $0 != "features.json" }, "\(left)")
    }

    @Test func chipsAreCOGsOnTheExportGridWithTheStacksValues() throws {
        let fixture = try WildfireFixture()
        let (whole, _) = try fixture.stack(features: ["ndvi_post", "slope_deg"], dem: "dem.tif", out: "whole")
        let (_, report) = try fixture.stack(features: ["ndvi_post", "slope_deg"], dem: "dem.tif", chipSize: 32, out: "chips")
        #expect(report.files.sorted() == ["chips/r0_c0.tif", "chips/r0_c1.tif", "chips/r1_c0.tif", "chips/r1_c1.tif"])
        for file in report.files {
            let path = fixture.path("chips/\(file)")
            let info = try GDALTools.info(path)
            #expect((info["metadata"] as? [String: Any]).flatMap { ($0["IMAGE_STRUCTURE"] as? [String: Any])?["LAYOUT"] as? String } == "COG")
            let parts = file.dropFirst("chips/r".count).dropLast(4).split(separator: "_c").map { Int($0)! }
            let (row, col) = (parts[0], parts[1])
            let transform = info["geoTransform"] as! [Double]
            #expect(transform[0] == 600000 + Double(col * 32) * 10 && transform[3] == 4300000 - Double(row * 32) * 10)
            let chip = try Raster.open(path)
            #expect(chip.bands.map(\.description) == ["ndvi_post", "slope_deg"] && chip.bands.allSatisfy { $0.noData == -9999 })
            let values = try chip.read(chip.bounds, as: Float.self)
            let plane = chip.width * chip.height
            for (slot, name) in ["ndvi_post", "slope_deg"].enumerated() {
                #expect(chip.width == 32 && chip.height == 32, "full-size chips, as the export's")
                for y in 0..<chip.height {
                    for x in 0..<chip.width {
                        let value = values[slot * plane + y * chip.width + x]
                        guard row * 32 + y < 48 else {
                            #expect(value == WildfireFeature.noData, "\(file) padding at \(x),\(y)")
                            continue
                        }
                        #expect(value == whole[name]![(row * 32 + y) * 64 + col * 32 + x], "\(file) \(name) \(x),\(y)")
                    }
                }
            }
        }
    }
}
