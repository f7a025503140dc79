import Foundation
import SwathGeo
import SwathTestSupport
@testable import SwathWildfire

/// The small wildfire inputs, made by Fixtures/make_wildfire_inputs.py in a temporary folder.
struct WildfireFixture {
    let directory: TemporaryDirectory
    static let roles = ["blue": 1, "green": 2, "red": 3, "nir": 4, "swir1": 5, "swir2": 6]
    static let size = Size(width: 64, height: 48)

    init() throws {
        directory = try TemporaryDirectory("swath-wildfire")
        let script = Fixture.path("make_wildfire_inputs.py")
        let made = try Shell.run("/usr/bin/python3", [script, directory.path])
        guard made.status == 0 else { throw WildfireError("fixture script failed: \(made.stderr)") }
    }

    func path(_ name: String) -> String { directory.file(name) }

    var post: SceneInput { SceneInput(path: path("post.tif"), bandRoles: Self.roles, label: "scene 2") }
    var pre: SceneInput { SceneInput(path: path("pre.tif"), bandRoles: Self.roles, label: "scene 1") }

    /// Runs the extractor for the whole scene and returns the stack's bands by name.
    func stack(features: [String]?, dem: String? = nil, withPre: Bool = true, scale: Double = 0.0001, offset: Double = -0.1,
               chipSize: Int = 0, out: String = "out") throws -> (bands: [String: [Float]], report: WildfireReport) {
        let output = directory.url.appendingPathComponent(out)
        let report = try WildfireExtractor.run(post: post, pre: withPre ? pre : nil, dem: dem.map(path),
                                               options: WildfireOptions(scale: scale, offset: offset, features: features,
                                                                        chipSize: chipSize, threads: 2),
                                               output: output)
        guard chipSize == 0 else { return ([:], report) }
        let raster = try Raster.open(output.appendingPathComponent("features.tif").path)
        let values = try raster.read(raster.bounds, as: Float.self)
        let plane = raster.width * raster.height
        var bands: [String: [Float]] = [:]
        for (index, info) in raster.bands.enumerated() {
            bands[info.description] = Array(values[(index * plane)..<((index + 1) * plane)])
        }
        return (bands, report)
    }

    /// One band of a file as gdal_translate reads it (ENVI, Float32): the independent reading.
    func samples(_ name: String, band: Int) throws -> [Float] {
        let data = try GDALTools.readWindow(path(name), Window(col: 0, row: 0, width: Self.size.width, height: Self.size.height),
                                            bands: [band], outputType: "Float32")
        return GDALTools.floats(data)
    }
}
