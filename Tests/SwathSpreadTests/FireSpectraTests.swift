import Foundation
import Testing
import SwathGeo
import SwathSpread
import SwathTestSupport

/// Spectral inputs of the scenes observed at each time: the samples' `ndvi` equals the fixture scene warped by
/// `gdalwarp -r average` onto the sample's grid, taken to reflectance and put through (NIR − Red) / (NIR + Red) by
/// hand, NaN where the grid runs past the scene; an index whose bands a scene lacks is left out of the dataset.
@Suite struct FireSpectraTests {
    let utm = try! CRS("EPSG:32610").wkt
    let start = Date(timeIntervalSince1970: 1_785_542_400)

    func reference(_ path: String, transform: [Double], size: [Int], in folder: TemporaryDirectory) throws -> (red: [Float], nir: [Float]) {
        let warped = folder.file("warped-\(UUID().uuidString).tif")
        let te = [transform[0], transform[3] + Double(size[1]) * transform[5], transform[0] + Double(size[0]) * transform[1], transform[3]]
        let run = try Shell.run("gdalwarp", ["-q", "-r", "average", "-te"] + te.map { "\($0)" }
                                + ["-ts", "\(size[0])", "\(size[1])", "-ot", "Float32", "-dstnodata", "-1e30", Fixture.path("utm_multiband.tif"), warped])
        guard run.status == 0 else { throw GDALTools.Failure(description: "gdalwarp: \(run.stderr)") }
        let raster = try Raster.open(warped)
        return (try raster.read(raster.bounds, bands: [3], as: Float.self), try raster.read(raster.bounds, bands: [4], as: Float.self))
    }

    @Test func ndviIsTheScenesOwnOnTheSamplesGrid() throws {
        let folder = try TemporaryDirectory("swath-spread-spectra")
        // A fire by the scene's south edge (4,298,080 N): the grid's margin runs past it.
        let burns = [DatedBurn(time: start.addingTimeInterval(6 * 3600), shape: .rectangle(minX: 601_000, minY: 4_298_100, maxX: 601_300, maxY: 4_298_400), sceneId: 1),
                     DatedBurn(time: start.addingTimeInterval(12 * 3600), shape: .rectangle(minX: 601_000, minY: 4_298_100, maxX: 601_600, maxY: 4_298_500), sceneId: 2)]
        let scenes = [1, 2].map { SpreadScene(id: Int64($0), uri: Fixture.path("utm_multiband.tif"), bandRoles: ["red": 3, "nir": 4]) }
        #expect(FireSpectra.available(in: scenes) == [.ndvi], "no SWIR2: no NBR")
        var options = SpreadDatasetOptions()
        (options.window, options.stride, options.emptyShare) = (16, 8, 1)
        options.split = try SpreadSplit(argument: "fire:1,0,0")
        var builder = SpreadDatasetBuilder(crsWKT: utm, resolution: 20, weather: [], options: options)
        builder.scenes = Dictionary(uniqueKeysWithValues: scenes.map { ($0.id, $0) })
        builder.spectra = FireSpectra(indices: [.ndvi], scale: 0.0001, offset: -0.1)
        let out = folder.url.appendingPathComponent("dataset")
        _ = try builder.build(burns: burns, into: out)

        let samples = out.appendingPathComponent("samples/train")
        let files = try FileManager.default.contentsOfDirectory(atPath: samples.path).filter { $0.hasSuffix(".tif") }
        #expect(!files.isEmpty)
        var outside = 0, inside = 0
        for file in files {
            let path = samples.appendingPathComponent(file).path
            let info = try GDALTools.info(path)
            let names = (info["bands"] as? [[String: Any]])?.compactMap { $0["description"] as? String } ?? []
            let band = try #require(names.firstIndex(of: "ndvi")) + 1
            let transform = try #require(info["geoTransform"] as? [Double]), size = try #require(info["size"] as? [Int])
            let (red, nir) = try reference(Fixture.path("utm_multiband.tif"), transform: transform, size: size, in: folder)
            let sample = try Raster.open(path)
            let ndvi = try sample.read(sample.bounds, bands: [band], as: Float.self)
            for cell in ndvi.indices {
                guard red[cell] > -1e29, nir[cell] > -1e29 else {
                    #expect(ndvi[cell].isNaN, "\(file) cell \(cell): past the scene")
                    outside += 1
                    continue
                }
                let r = Double(red[cell]) * 0.0001 - 0.1, n = Double(nir[cell]) * 0.0001 - 0.1
                // Where NIR + Red is near 0 the index magnifies the warps' last-digit differences: not a check of ours.
                guard abs(n + r) > 1e-3 else { continue }
                #expect(abs(Double(ndvi[cell]) - (n - r) / (n + r)) < 1e-5, "\(file) cell \(cell)")
                inside += 1
            }
        }
        #expect(outside > 0 && inside > 0, "both kinds of cell checked: \(outside) past the scene, \(inside) on it")
        let cube = try Shell.run("gdalmdiminfo", ["-array", "variable", "-detailed", out.appendingPathComponent("cubes/fire1.nc").path])
        #expect(cube.stdout.contains("\"ndvi\""), "the cube holds it too")
    }
}
