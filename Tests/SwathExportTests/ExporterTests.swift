import Foundation
import Testing
import SwathExport
import SwathGeo
import SwathLabels
import SwathTestSupport

@Suite struct ExporterTests {
    @Test func chipsArePixelExactCOGsWithClippedLabelsAndMasks() async throws {
        let world = try await ExportWorld.make()
        let (report, out) = try await world.export()
        #expect(report.chipsWritten == 6 && report.sceneFailures.isEmpty)  // 256 × 192 in 100-pixel chips, padded: 3 × 2
        let chip = out.appendingPathComponent("chips/s\(world.sceneId)_r0000_c0001")
        // image.tif: a COG equal to gdal_translate's window of the scene.
        let image = chip.appendingPathComponent("image.tif").path
        let info = try GDALTools.info(image)
        #expect(((info["metadata"] as! [String: Any])["IMAGE_STRUCTURE"] as! [String: String])["LAYOUT"] == "COG")
        #expect(info["geoTransform"] as? [Double] == [601000, 10, 0, 4300000, 0, -10])
        let window = Window(col: 100, row: 0, width: 100, height: 100)
        #expect(try GDALTools.readWindow(image, Window(col: 0, row: 0, width: 100, height: 100))
                == GDALTools.readWindow(Fixture.path("utm_multiband.tif"), window))

        // labels.geojson: the field clipped to the chip (x 601000…601800, y 4299000…4299600), area by hand.
        let labels = try json(chip.appendingPathComponent("labels.geojson"))
        let features = labels["features"] as! [[String: Any]]
        let area = features.map { ($0["properties"] as! [String: Any])["areaSceneUnits"] as! Double }.reduce(0, +)
        #expect(abs(area - 800 * 600) / (800 * 600) < 1e-6)
        for feature in features {
            let ring = ((feature["geometry"] as! [String: Any])["coordinates"] as! [[[Double]]])[0]
            #expect(ring.allSatisfy { abs($0[0] + 121.8) < 0.1 && abs($0[1] - 38.8) < 0.1 }, "lon, lat order")
            let properties = feature["properties"] as! [String: Any]
            #expect(properties["class"] as? String == "cropland" && properties["classId"] as? Int == 40)
            #expect(properties["annotator"] is NSNull, "imported labels have no annotator")
        }
        #expect(try Shell.run("ogrinfo", ["-ro", "-so", chip.appendingPathComponent("labels.geojson").path]).status == 0)

        // mask.tif: cropland pixels are the clipped field (80 × 60 pixel centres), the rest background.
        let mask = GDALTools.samples(try GDALTools.readWindow(chip.appendingPathComponent("mask.tif").path,
                                                               Window(col: 0, row: 0, width: 100, height: 100)), as: UInt16.self)
        let cropland = mask.filter { $0 == 40 }.count, background = mask.filter { $0 == 0 }.count
        #expect(cropland == 4800)  // 80 × 60
        #expect(background == 5200)

        // item.json: STAC with the label extension and class counts.
        let item = try json(chip.appendingPathComponent("item.json"))
        #expect(item["stac_version"] as? String == "1.0.0" && item["type"] as? String == "Feature")
        let properties = item["properties"] as! [String: Any]
        #expect(properties["label:type"] as? String == "vector" && properties["proj:epsg"] as? Int == 32610)
        let overview = (properties["label:overviews"] as! [[String: Any]])[0]["counts"] as! [[String: Any]]
        #expect(overview.first?["name"] as? String == "cropland")
        #expect(Set((item["assets"] as! [String: Any]).keys) == ["image", "labels", "labels-pixel", "mask"])

        // labels.pixel.json: the same piece in chip pixels — x 0…80, y 40…100 — with a COCO box.
        let pixel = try json(chip.appendingPathComponent("labels.pixel.json"))
        let pieces = pixel["labels"] as! [[String: Any]]
        let boxes = pieces.map { $0["bbox"] as! [Double] }
        let union = [boxes.map { $0[0] }.min()!, boxes.map { $0[1] }.min()!,
                     boxes.map { $0[0] + $0[2] }.max()!, boxes.map { $0[1] + $0[3] }.max()!]
        for (value, expected) in zip(union, [0.0, 40, 80, 100]) { #expect(abs(value - expected) < 1e-6) }
        let pixelArea = pieces.map { $0["areaPixels"] as! Double }.reduce(0, +)
        #expect(abs(pixelArea - 80 * 60) < 1e-6)
        // The mask lines up with the image pixel for pixel: same size, same grid, same CRS.
        let maskInfo = try GDALTools.info(chip.appendingPathComponent("mask.tif").path)
        #expect(maskInfo["geoTransform"] as? [Double] == info["geoTransform"] as? [Double])
        #expect(maskInfo["size"] as? [Int] == info["size"] as? [Int])
        #expect(try Raster.open(chip.appendingPathComponent("mask.tif").path).crs?.epsg == 32610)

        let lines = try manifest(out)
        #expect(lines.count == 6)
        // COCO: every manifest label appears once across the three files, categories are the taxonomy.
        var annotations = 0, images = 0
        for split in ["train", "val", "test"] {
            let coco = try json(out.appendingPathComponent("coco_\(split).json"))
            annotations += (coco["annotations"] as! [[String: Any]]).count
            images += (coco["images"] as! [[String: Any]]).count
            #expect((coco["categories"] as! [[String: Any]]).count == 22)
        }
        #expect(images == 6)
        #expect(annotations == lines.map { ($0["classCounts"] as! [String: Int]).values.reduce(0, +) }.reduce(0, +))
        #expect(try json(out.appendingPathComponent("catalog.json"))["type"] as? String == "Catalog")
    }

    @Test func paddedChipsMarkThePaddingInTheMask() async throws {
        let world = try await ExportWorld.make()
        let (_, out) = try await world.export()
        // Chip (row 1, col 2) covers x 200…300 of a 256-wide scene and y 100…200 of 192 rows.
        let mask = GDALTools.samples(try GDALTools.readWindow(out.appendingPathComponent("chips/s\(world.sceneId)_r0001_c0002/mask.tif").path,
                                                               Window(col: 0, row: 0, width: 100, height: 100)), as: UInt16.self)
        let padding = mask.filter { $0 == 65535 }.count
        #expect(padding == 10_000 - 56 * 92)
        // The image's padding holds each band's nodata (0 in the fixture); inside, the scene's pixels.
        let image = out.appendingPathComponent("chips/s\(world.sceneId)_r0001_c0002/image.tif").path
        let pixels = GDALTools.samples(try GDALTools.readWindow(image, Window(col: 0, row: 0, width: 100, height: 100)), as: UInt16.self)
        for band in 0..<4 {
            let plane = pixels[(band * 10_000)..<((band + 1) * 10_000)]
            let outside = plane.enumerated().filter { $0.offset % 100 >= 56 || $0.offset / 100 >= 92 }.map(\.element)
            #expect(outside.count == 10_000 - 56 * 92 && outside.allSatisfy { $0 == 0 })
        }
        let inside = GDALTools.samples(try GDALTools.readWindow(image, Window(col: 0, row: 0, width: 56, height: 92)), as: UInt16.self)
        #expect(inside == GDALTools.samples(try GDALTools.readWindow(Fixture.path("utm_multiband.tif"),
                                                                    Window(col: 200, row: 100, width: 56, height: 92)), as: UInt16.self))
    }

    @Test func splitsNeverShareAPixelEvenWithOverlappingChips() async throws {
        let world = try await ExportWorld.make()
        let (report, out) = try await world.export { options in
            options.chipSize = 32
            options.overlap = 16
            options.split = SplitSpec(blockChips: 2, ratios: [0.5, 0.5, 0], seed: 2)
        }
        let chips = try manifest(out)
        #expect(report.droppedForBuffer > 0)
        #expect(Set(chips.map { $0["split"] as! String }).count >= 2, "the test needs chips in two splits")
        for a in chips {
            for b in chips where (a["split"] as! String) != (b["split"] as! String) {
                let wa = a["window"] as! [Int], wb = b["window"] as! [Int]
                let overlaps = wa[0] < wb[0] + wb[2] && wb[0] < wa[0] + wa[2] && wa[1] < wb[1] + wb[3] && wb[1] < wa[1] + wa[3]
                #expect(!overlaps, "\(a["id"]!) (\(a["split"]!)) overlaps \(b["id"]!) (\(b["split"]!))")
            }
        }
        // The same seed gives the same split again.
        let (_, again) = try await world.export({ options in
            options.chipSize = 32
            options.overlap = 16
            options.split = SplitSpec(blockChips: 2, ratios: [0.5, 0.5, 0], seed: 2)
        }, into: "again")
        #expect(try manifest(again).map { $0["split"] as! String } == chips.map { $0["split"] as! String })
    }

    @Test func unreviewedGroundIsNotExported() async throws {
        let world = try await ExportWorld.make(accept: false)
        let (report, out) = try await world.export()
        #expect(report.chipsWritten == 0 && !report.notes.isEmpty)
        #expect(try String(contentsOf: out.appendingPathComponent("manifest.jsonl"), encoding: .utf8).isEmpty)
        let catalog = try json(out.appendingPathComponent("catalog.json"))
        #expect((catalog["links"] as! [[String: Any]]).count == 1)  // root only: an empty, valid catalog
    }

    @Test func formatsChooseTheOutputs() async throws {
        let world = try await ExportWorld.make()
        let (_, out) = try await world.export { $0.formats = [.geojson] }
        let names = try FileManager.default.contentsOfDirectory(atPath: out.appendingPathComponent("chips/s\(world.sceneId)_r0000_c0001").path)
        #expect(Set(names) == ["image.tif", "labels.geojson"])
        #expect(!FileManager.default.fileExists(atPath: out.appendingPathComponent("coco_train.json").path))
        #expect(throws: ExportError.self) { try ExportFormat.parse("geojson,shapefile") }
    }

    @Test func resumeKeepsFinishedChipsAndRedoesMissingOnes() async throws {
        let world = try await ExportWorld.make()
        let (_, out) = try await world.export()
        let victim = out.appendingPathComponent("chips/s\(world.sceneId)_r0000_c0000")
        try FileManager.default.removeItem(at: victim)
        // What a run killed mid-chip leaves: the chip's own temporary folder, under a name of its own.
        let leftover = out.appendingPathComponent("chips/.s\(world.sceneId)_r0000_c0000.\(UUID().uuidString).partial")
        try FileManager.default.createDirectory(at: leftover, withIntermediateDirectories: true)
        let (report, _) = try await world.export { $0.resume = true }
        #expect(report.chipsWritten == 1 && report.chipsResumed == 5)
        #expect(FileManager.default.fileExists(atPath: victim.appendingPathComponent("item.json").path))
        #expect(!FileManager.default.fileExists(atPath: leftover.path))
        #expect(try manifest(out).count == 6)
    }

    @Test func badOptionsAndRolesFailBeforeAnyWork() async throws {
        let world = try await ExportWorld.make()
        await #expect(throws: ExportError.self) { try await world.export({ $0.bands = [9] }, into: "bands") }
        #expect(!FileManager.default.fileExists(atPath: world.directory.file("bands")))
        await #expect(throws: ExportError.self) { try await world.export({ $0.overlap = 100 }, into: "overlap") }
        #expect(throws: ExportError.self) { try SplitSpec(parsing: "ratios=0.5/0.5/0.5") }
        #expect(throws: ExportError.self) { try SplitSpec(parsing: "folds=3") }
        var options = ExportOptions()
        options.chipSize = 100
        await #expect(throws: LabelingError.self) {
            try await Exporter(service: world.service, projectId: world.projectId, outDir: world.directory.url.appendingPathComponent("x"),
                               options: options).run(by: world.annotator)
        }
    }

    @Test func aMissingSceneFileIsNamedAndTheRestStillExports() async throws {
        let dir = try TemporaryDirectory()
        let copy = dir.file("scene-copy.tif")
        try FileManager.default.copyItem(atPath: Fixture.path("utm_multiband.tif"), toPath: copy)
        let world = try await ExportWorld.make(scenePath: copy)
        try FileManager.default.removeItem(atPath: copy)
        let (report, _) = try await world.export()
        #expect(report.sceneFailures.count == 1 && report.sceneFailures[0].contains("scene-copy.tif"))
    }
}

/// The outputs read by the tools trainers use: rio-cogeo, an RFC 7946
/// validator, pystac, and GDAL/OGR.
@Suite struct ExportValidatorTests {
    @Test func cogsGeoJSONAndSTACPassTheirValidators() async throws {
        let world = try await ExportWorld.make()
        let (_, out) = try await world.export()
        let chips = try manifest(out).map { $0["id"] as! String }
        #expect(!chips.isEmpty)
        for chip in chips {
            let folder = out.appendingPathComponent("chips/\(chip)")
            for raster in ["image.tif", "mask.tif"] {
                let result = try Shell.run("rio", ["cogeo", "validate", folder.appendingPathComponent(raster).path])
                #expect(result.status == 0 && result.stdout.contains("is a valid cloud optimized GeoTIFF"), "\(chip)/\(raster): \(result.stdout)")
            }
            #expect(try Shell.run("ogrinfo", ["-ro", "-so", "-al", folder.appendingPathComponent("labels.geojson").path]).status == 0)
        }
        let script = """
        import json, sys, geojson_validator, pystac
        bad = 0
        for line in open(sys.argv[1] + "/manifest.jsonl"):
            entry = json.loads(line)
            g = json.load(open(sys.argv[1] + "/" + entry["labels"]))
            structure = geojson_validator.validate_structure(g, check_crs=False)
            geometries = geojson_validator.validate_geometries(g)
            for feature in g["features"]:
                for ring in feature["geometry"]["coordinates"]:
                    for lon, lat in ring:
                        if not (-180 <= lon <= 180 and -90 <= lat <= 90): bad += 1
            if structure or geometries["invalid"]:
                print(entry["id"], structure, geometries["invalid"]); bad += 1
            item = pystac.Item.from_file(sys.argv[1] + "/" + entry["item"])
            assert item.id == entry["id"] and "labels" in item.assets
        catalog = pystac.Catalog.from_file(sys.argv[1] + "/catalog.json")
        assert len(list(catalog.get_items())) == sum(1 for _ in open(sys.argv[1] + "/manifest.jsonl"))
        print("bad", bad)
        sys.exit(1 if bad else 0)
        """
        let result = try Shell.run("python3", ["-c", script, out.path])
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        #expect(result.stdout.contains("bad 0"))
    }
}

@Suite struct CrossSceneSplitTests {
    @Test func twoScenesOfTheSamePlaceShareTheirSplits() async throws {
        let world = try await ExportWorld.make()
        // A second pass over the same ground (the fixture again), every task accepted.
        let cli = User.commandLine
        let second = try await world.service.registerScene(projectId: world.projectId,
                                                           SceneRegistration(uri: Fixture.path("utm_multiband.tif")), by: cli)
        let (annotator, _) = try await world.service.createUser(name: "second pass", isAdmin: false, by: cli)
        let (reviewer, _) = try await world.service.createUser(name: "second reviewer", isAdmin: false, by: cli)
        try await world.service.addMember(projectId: world.projectId, userId: annotator.id, role: .annotator, by: cli)
        try await world.service.addMember(projectId: world.projectId, userId: reviewer.id, role: .reviewer, by: cli)
        while let task = try await world.service.claim(projectId: world.projectId, by: annotator) {
            _ = try await world.service.submit(taskId: task.id, by: annotator)
            _ = try await world.service.review(taskId: task.id, decision: .accept, comment: nil, by: reviewer)
        }
        let (_, out) = try await world.export { options in
            options.chipSize = 64
            options.split = SplitSpec(blockChips: 1, ratios: [0.5, 0.5, 0], seed: 5)
        }
        let chips = try manifest(out)
        let first = chips.filter { $0["sceneId"] as? Int == Int(world.sceneId) }
        let other = chips.filter { $0["sceneId"] as? Int == Int(second.id) }
        #expect(!first.isEmpty && first.count == other.count)
        #expect(Set(chips.map { $0["split"] as! String }).count == 2, "the test needs both splits")
        for chip in first {
            let twin = other.first { ($0["window"] as! [Int]) == (chip["window"] as! [Int]) }
            #expect(twin?["split"] as? String == chip["split"] as? String, "the same ground went to two splits")
        }
    }
}

@Suite struct AntimeridianExportTests {
    @Test func chipLabelsAcross180AreCutIntoMultiPolygons() async throws {
        let dir = try TemporaryDirectory("swath-export-am")
        let service = LabelingService(store: try SQLiteStore(path: dir.file("am.sqlite")))
        let cli = User.commandLine
        let project = try await service.createProject(ProjectDraft(customer: "Acme", codename: "PUFFIN", settings: ProjectSettings(tileSize: 64)), by: cli)
        let scene = try await service.registerScene(projectId: project.id, SceneRegistration(uri: Fixture.path("antimeridian.tif")), by: cli)
        // A field in UTM 60N that straddles 180° (legacy GeoJSON with a crs member, as OGR reads it).
        let field = #"{"type":"FeatureCollection","crs":{"type":"name","properties":{"name":"urn:ogc:def:crs:EPSG::32660"}},"features":[{"type":"Feature","properties":{},"geometry":{"type":"Polygon","coordinates":[[[620000,7240000],[620000,7210000],[660000,7210000],[660000,7240000],[620000,7240000]]]}}]}"#
        let report = try await service.importLabels(sceneId: scene.id, data: Array(field.utf8), options: ImportOptions(fixedClass: "high severity"), by: cli)
        #expect(report.labelsCreated >= 1, "\(report.rejected)")
        let (annotator, _) = try await service.createUser(name: "a", isAdmin: false, by: cli)
        let (reviewer, _) = try await service.createUser(name: "r", isAdmin: false, by: cli)
        let (trainer, _) = try await service.createUser(name: "t", isAdmin: false, by: cli)
        try await service.addMember(projectId: project.id, userId: annotator.id, role: .annotator, by: cli)
        try await service.addMember(projectId: project.id, userId: reviewer.id, role: .reviewer, by: cli)
        try await service.addMember(projectId: project.id, userId: trainer.id, role: .trainer, by: cli)
        while let task = try await service.claim(projectId: project.id, by: annotator) {
            _ = try await service.submit(taskId: task.id, by: annotator)
            _ = try await service.review(taskId: task.id, decision: .accept, comment: nil, by: reviewer)
        }
        var options = ExportOptions()
        options.chipSize = 64
        let out = dir.url.appendingPathComponent("out")
        _ = try await Exporter(service: service, projectId: project.id, outDir: out, options: options).run(by: trainer)
        let labels = try json(out.appendingPathComponent("chips/s\(scene.id)_r0000_c0000/labels.geojson"))
        let geometries = (labels["features"] as! [[String: Any]]).map { $0["geometry"] as! [String: Any] }
        #expect(geometries.contains { $0["type"] as? String == "MultiPolygon" })
        for geometry in geometries where geometry["type"] as? String == "MultiPolygon" {
            let parts = geometry["coordinates"] as! [[[[Double]]]]
            let longitudes = parts.map { $0[0].map { $0[0] } }
            #expect(longitudes.contains { $0.allSatisfy { $0 > 0 } } && longitudes.contains { $0.allSatisfy { $0 < 0 } })
            #expect(longitudes.allSatisfy { ($0.max()! - $0.min()!) < 180 }, "no ring jumps across the globe")
        }
    }
}
