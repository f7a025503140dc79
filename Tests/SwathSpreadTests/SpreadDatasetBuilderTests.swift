import Foundation
import Testing
import SwathGeo
import SwathSpread
import SwathTestSupport

/// A dataset built from two synthetic fires under the weather fixture's wind: every sample's target equals
/// the next perimeter burned by `gdal_rasterize` on the sample's own grid, no fire in two splits, the card's
/// counts and persistence's zero skill by hand, and nothing left under a temporary name.
@Suite struct SpreadDatasetBuilderTests {
    let start = Date(timeIntervalSince1970: 1_785_542_400)  // 2026-08-01 00:00 UTC

    func box(_ west: Double, _ east: Double, _ south: Double, _ north: Double) -> MultiPolygon {
        .rectangle(minX: west, minY: south, maxX: east, maxY: north)
    }

    @Test func samplesHoldTheNextPerimeterAndSplitsKeepFiresApart() throws {
        let fixture = try WeatherFixture()
        let utm = try CRS("EPSG:32610").wkt
        let hour = { (h: Double) in self.start.addingTimeInterval(h * 3600) }
        // Fire A runs east (1 km, then 1.6 km, then 2.2 km long); fire B, 4 km away, grows north once.
        let perimeters: [(Date, MultiPolygon)] = [
            (hour(6), box(601_000, 602_000, 4_297_000, 4_298_000)), (hour(12), box(601_000, 602_600, 4_297_000, 4_298_000)),
            (hour(18), box(601_000, 603_200, 4_297_000, 4_298_000)),
            (hour(6), box(606_000, 606_500, 4_295_000, 4_295_500)), (hour(12), box(606_000, 606_500, 4_295_000, 4_296_100)),
        ]
        let burns = perimeters.enumerated().map { DatedBurn(time: $1.0, shape: $1.1, sceneId: Int64($0 + 1)) }
        let layers = try ["u10=wind_u", "v10=wind_v"].map { try WeatherLayer(WeatherSource(argument: "NETCDF:\"\(fixture.weather)\":\($0)")) }
        var options = SpreadDatasetOptions()
        options.window = 16
        options.stride = 8
        options.split = try SpreadSplit(argument: "fire:0.5,0,0.5")
        let out = fixture.directory.url.appendingPathComponent("dataset")
        let card = try SpreadDatasetBuilder(crsWKT: utm, resolution: 100, weather: layers, options: options).build(burns: burns, into: out)

        let manager = FileManager.default
        #expect(!(try manager.contentsOfDirectory(atPath: fixture.directory.url.path)).contains { $0.contains(".part") })
        var firesBySplit: [String: Set<Int>] = [:]
        var samples = 0
        for split in SpreadSplit.names {
            let folder = out.appendingPathComponent("samples/\(split)")
            for file in (try? manager.contentsOfDirectory(atPath: folder.path)) ?? [] where file.hasSuffix(".tif") {
                samples += 1
                let path = folder.appendingPathComponent(file).path
                let info = try GDALTools.info(path)
                let metadata = try #require((info["metadata"] as? [String: Any])?[""] as? [String: String])
                let fire = try #require(Int(metadata["fire"] ?? ""))
                firesBySplit[split, default: []].insert(fire)
                // The target, burned again by gdal_rasterize on the sample's grid from the next perimeter.
                let next = try #require(perimeters.first { Self.iso($0.0) == metadata["target_time"] && (fire == 1) == ($0.1.bounds?[0] ?? 0 < 605_000) })
                let transform = try #require(info["geoTransform"] as? [Double])
                let size = try #require(info["size"] as? [Int])
                let reference = try Self.rasterized(next.1, transform: transform, size: size, in: fixture.directory)
                let sample = try Raster.open(path)
                let names = (info["bands"] as? [[String: Any]])?.compactMap { $0["description"] as? String } ?? []
                let targetBand = try #require(names.firstIndex(of: "target_fire_mask")) + 1
                #expect(try sample.read(sample.bounds, bands: [targetBand], as: Float.self).map { $0 == 1 } == reference, "\(file)")
                #expect(names.contains("wind_speed") && names.first == "fire_mask", "\(names)")
                let item = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path.replacingOccurrences(of: ".tif", with: ".json")))) as? [String: Any])
                #expect(item["stac_version"] as? String == "1.0.0" && (item["properties"] as? [String: Any])?["swath:fire"] as? Int == fire)
            }
        }
        #expect(samples > 0)
        #expect((firesBySplit["train"] ?? []).isDisjoint(with: firesBySplit["test"] ?? []), "\(firesBySplit)")
        #expect(firesBySplit.values.reduce(0) { $0 + $1.count } == 2, "each fire in exactly one split: \(firesBySplit)")
        guard case .object(let document) = card, case .object(let splits)? = document["splits"] else { Issue.record("card: \(card)"); return }
        #expect(document["fires"] == .number(2))
        let counted = SpreadSplit.names.reduce(0.0) { total, name in
            guard case .object(let line)? = splits[name], case .number(let n)? = line["samples"] else { return total }
            return total + n
        }
        #expect(Int(counted) == samples)
        // Persistence predicts no new burn: zero skill wherever something new burned.
        for name in ["train", "test"] {
            guard case .object(let line)? = splits[name], case .object(let baselines)? = line["baselines"],
                  case .object(let persistence)? = baselines["persistence"] else { continue }
            #expect(persistence["iou"] == .number(0) || persistence["iou"] == .null, "\(name): \(persistence)")
        }
        let features = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: out.appendingPathComponent("features.json"))) as? [String: Any])
        #expect(((features["features"] as? [[String: Any]]) ?? []).compactMap { $0["name"] as? String }.contains("target_burned_new"))

        // Every fire in validation or test: no training fire sets the wind baseline's rate, so there is none.
        var noTraining = options
        noTraining.split = try SpreadSplit(argument: "fire:0,0.5,0.5")
        let untrained = try SpreadDatasetBuilder(crsWKT: utm, resolution: 100, weather: layers, options: noTraining)
            .build(burns: burns, into: fixture.directory.url.appendingPathComponent("untrained"))
        guard case .object(let untrainedCard) = untrained else { Issue.record("card: \(untrained)"); return }
        #expect(untrainedCard["spreadRateMetresPerDay"] == .null)
        // A file where the dataset should go is refused, and left alone.
        let file = fixture.directory.url.appendingPathComponent("taken.tif")
        try Data([1, 2, 3]).write(to: file)
        #expect(throws: SpreadError.self) {
            try SpreadDatasetBuilder(crsWKT: utm, resolution: 100, weather: layers, options: options).build(burns: burns, into: file)
        }
        #expect(try Data(contentsOf: file) == Data([1, 2, 3]))
        // A second run into the same, now full, folder is refused.
        #expect(throws: SpreadError.self) {
            try SpreadDatasetBuilder(crsWKT: utm, resolution: 100, weather: layers, options: options).build(burns: burns, into: out)
        }
    }

    /// Land cover as the fuel class in every sample (what `gdal_rasterize` burns of the labels known at the sample's time
    /// on its grid at the scenes' own cell size), features.json naming exactly the samples' bands in order, the cube as Zarr, and a window
    /// larger than the scenes refused before anything is written.
    @Test func fuelFromLandCoverAndAZarrCube() throws {
        let fixture = try WeatherFixture()
        let utm = try CRS("EPSG:32610").wkt
        let burns = [DatedBurn(time: start.addingTimeInterval(6 * 3600), shape: box(601_000, 602_000, 4_297_000, 4_298_000), sceneId: 1),
                     DatedBurn(time: start.addingTimeInterval(12 * 3600), shape: box(601_000, 602_600, 4_297_000, 4_298_000), sceneId: 2)]
        let forest = box(600_000, 604_000, 4_296_000, 4_297_500)
        let layers = try ["u10=wind_u", "v10=wind_v"].map { try WeatherLayer(WeatherSource(argument: "NETCDF:\"\(fixture.weather)\":\($0)")) }
        var options = SpreadDatasetOptions()
        (options.window, options.stride, options.cubeFormat) = (16, 8, .zarr)
        options.split = try SpreadSplit(argument: "fire:1,0,0")
        var builder = SpreadDatasetBuilder(crsWKT: utm, resolution: 100, weather: layers, options: options)
        // Forest on an undated scene; "bare" (60) drawn over the whole fire on the 12:00 scene: after today's (06:00)
        // observation, so it must not be today's fuel — the samples' fuel is the forest alone.
        let forestLabel = LandCoverLabel(time: nil, label: ClassedShape(classId: 10, geometry: forest))
        let bareAfter = LandCoverLabel(time: start.addingTimeInterval(12 * 3600), label: ClassedShape(classId: 60, geometry: box(600_500, 603_000, 4_296_500, 4_298_500)))
        (builder.landCover, builder.sceneCell, builder.sceneExtent) = ([forestLabel, bareAfter], 100, (width: 8_000, height: 6_000))
        let out = fixture.directory.url.appendingPathComponent("fuelled")
        _ = try builder.build(burns: burns, into: out)

        let features = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: out.appendingPathComponent("features.json"))) as? [String: Any])
        let documented = ((features["features"] as? [[String: Any]]) ?? []).compactMap { $0["name"] as? String }
        let folder = out.appendingPathComponent("samples/train")
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".tif") }
        #expect(!files.isEmpty)
        for file in files {
            let path = folder.appendingPathComponent(file).path
            let info = try GDALTools.info(path)
            let names = (info["bands"] as? [[String: Any]])?.compactMap { $0["description"] as? String } ?? []
            #expect(names == documented, "features.json documents the bands, in order")
            let band = try #require(names.firstIndex(of: "fuel_class")) + 1
            let transform = try #require(info["geoTransform"] as? [Double]), size = try #require(info["size"] as? [Int])
            let reference = try Self.rasterized(forest, transform: transform, size: size, in: fixture.directory)
            let sample = try Raster.open(path)
            #expect(try sample.read(sample.bounds, bands: [band], as: Float.self) == reference.map { $0 ? 10 : 0 }, "\(file)")
        }
        let cube = out.appendingPathComponent("cubes/fire1.zarr")
        // GDAL's multidimensional reader lists the cube's variables: the samples' inputs.
        let info = try Shell.run("gdalmdiminfo", ["-array", "variable", "-detailed", cube.path])
        #expect(info.status == 0, "\(info.stderr)")
        let variables = (try JSONSerialization.jsonObject(with: Data(info.stdout.utf8)) as? [String: Any])?["values"] as? [String]
        #expect(variables == Array(documented.dropLast(2)), "\(info.stdout.prefix(400))")

        // 16 cells of 100 m do not fit in a scene 1,500 m wide.
        builder.sceneExtent = (width: 1_500, height: 6_000)
        let refused = fixture.directory.url.appendingPathComponent("too-wide")
        #expect { try builder.build(burns: burns, into: refused) } throws: { error in
            "\(error)".contains("--window 16 cells of 100.0 m (1600.0 m) is larger than the scenes")
        }
        #expect(!FileManager.default.fileExists(atPath: refused.path))
    }

    static func iso(_ date: Date) -> String { date.formatted(.iso8601) }

    static func rasterized(_ shape: MultiPolygon, transform: [Double], size: [Int], in directory: TemporaryDirectory) throws -> [Bool] {
        let name = UUID().uuidString
        let geojson = directory.file("\(name).geojson"), burned = directory.file("\(name).tif")
        let ring = shape.polygons[0].exterior.map { "[\($0.x),\($0.y)]" }.joined(separator: ",")
        let document = #"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{},"geometry":{"type":"Polygon","coordinates":[["#
            + ring + #"]]}}]}"#
        try document.write(toFile: geojson, atomically: true, encoding: .utf8)
        let te = [transform[0], transform[3] + Double(size[1]) * transform[5], transform[0] + Double(size[0]) * transform[1], transform[3]]
        let run = try Shell.run("gdal_rasterize", ["-q", "-burn", "1", "-ot", "Byte", "-a_srs", "EPSG:32610", "-te"] + te.map { "\($0)" }
                                + ["-ts", "\(size[0])", "\(size[1])", geojson, burned])
        guard run.status == 0 else { throw GDALTools.Failure(description: "gdal_rasterize: \(run.stderr)") }
        let raster = try Raster.open(burned)
        return try raster.read(raster.bounds, as: UInt8.self).map { $0 != 0 }
    }
}
