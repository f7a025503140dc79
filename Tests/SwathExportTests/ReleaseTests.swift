import Foundation
import Testing
@testable import SwathExport
import SwathGeo
import SwathLabels
import SwathTestSupport

/// Releases: frozen, exported byte for byte whatever happens to the project after, checked
/// against their scene files, with lineage on every label feature and item.
@Suite struct ReleaseTests {
    /// Three squares in the first task claimed (pixel space): cropland at 10–60 px, building at 70–100 px, grassland
    /// at 10–40 px down the tile; rejected once, the cropland square then moved 10 px right (an edit: same lineage);
    /// accepted. `acceptRest` accepts `count` more tasks as they are (with the imported field's pre-labels).
    struct World {
        let base: ExportWorld
        let reviewer: User
        let firstTask: TaskID

        static func make(scenePath: String = Fixture.path("utm_multiband.tif")) async throws -> World {
            let base = try await ExportWorld.make(scenePath: scenePath, accept: false)
            let (reviewer, _) = try await base.service.createUser(name: "rita", isAdmin: false, by: .commandLine)
            try await base.service.addMember(projectId: base.projectId, userId: reviewer.id, role: .reviewer, by: .commandLine)
            let annotator = base.annotator
            // The top-left task (a whole 128-pixel tile): every other one skipped.
            let taskIds = try await base.service.store.tasks(sceneId: base.sceneId).map(\.id).sorted()
            let others = Set(taskIds.dropFirst())
            let task = try #require(try await base.service.claim(projectId: base.projectId, skipping: others, by: annotator))
            _ = try await base.service.saveLabels(taskId: task.id, try Self.squares(croplandAt: 10), space: .pixel, by: annotator)
            _ = try await base.service.submit(taskId: task.id, by: annotator)
            _ = try await base.service.review(taskId: task.id, decision: .reject, comment: "move the field", by: reviewer)
            let again = try #require(try await base.service.claim(projectId: base.projectId, skipping: others, by: annotator))
            try #require(again.id == task.id, "a rejected task goes back to the queue")
            let current = try await base.service.labels(taskId: task.id, space: .pixel, for: annotator)
            let ids = current.features.map(\.id).sorted()
            _ = try await base.service.saveLabels(taskId: task.id, try Self.squares(croplandAt: 20, ids: ids), space: .pixel, by: annotator)
            _ = try await base.service.submit(taskId: task.id, by: annotator)
            _ = try await base.service.review(taskId: task.id, decision: .accept, comment: nil, by: reviewer)
            return World(base: base, reviewer: reviewer, firstTask: task.id)
        }

        /// The three squares; with `ids`, each carries the id of the label it edits.
        static func squares(croplandAt left: Int, ids: [Int64] = []) throws -> GeoJSONFeatureCollection {
            let shapes = [("cropland", left, 10, 50), ("building", 70, 70, 30), ("grassland", 10, 80, 30)]
            let features = shapes.enumerated().map { index, shape in
                let (name, x, y, side) = shape
                let id = index < ids.count ? "\"id\":\(ids[index])," : ""
                return #"{"type":"Feature","# + id + #""properties":{"class":"\#(name)"},"geometry":{"type":"Polygon","coordinates":[[[\#(x),\#(y)],[\#(x + side),\#(y)],[\#(x + side),\#(y + side)],[\#(x),\#(y + side)],[\#(x),\#(y)]]]}}"#
            }
            return try GeoJSONFeatureCollection(json: try JSONParser.parse(#"{"type":"FeatureCollection","features":["# + features.joined(separator: ",") + "]}"))
        }

        /// With `drawing`, a 20-pixel tree-cover square is saved in each first.
        func acceptRest(_ count: Int, drawing: Bool = false) async throws {
            for _ in 0..<count {
                guard let task = try await base.service.claim(projectId: base.projectId, by: base.annotator) else { return }
                if drawing {
                    let square = #"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"class":"tree cover"},"geometry":{"type":"Polygon","coordinates":[[[5,5],[25,5],[25,25],[5,25],[5,5]]]}}]}"#
                    _ = try await base.service.saveLabels(taskId: task.id, try GeoJSONFeatureCollection(json: try JSONParser.parse(square)),
                                                          space: .pixel, by: base.annotator)
                }
                _ = try await base.service.submit(taskId: task.id, by: base.annotator)
                _ = try await base.service.review(taskId: task.id, decision: .accept, comment: nil, by: reviewer)
            }
        }

        func release(_ name: String) async throws -> ReleaseView {
            var request = ExportRequest()
            request.chipSize = 100
            request.backgroundRatio = 1
            return try await ReleaseMaker(service: base.service).create(projectId: base.projectId, name: name, request: request, by: .commandLine)
        }

        func document(_ id: ReleaseID) async throws -> ReleaseDocument {
            try ReleaseDocument.parse(try await base.service.releaseDocument(id: id, for: .commandLine))
        }
    }

    /// Every file under `folder` by relative path.
    static func files(_ folder: URL) throws -> [String: Data] {
        var found: [String: Data] = [:]
        let base = folder.standardizedFileURL.path
        for case let url as URL in FileManager.default.enumerator(at: folder, includingPropertiesForKeys: nil)! {
            var isFolder: ObjCBool = false
            guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isFolder), !isFolder.boolValue else { continue }
            found[String(url.standardizedFileURL.path.dropFirst(base.count + 1))] = try Data(contentsOf: url)
        }
        return found
    }

    @Test func aReleaseExportsTheSameBytesAfterTheProjectMovesOn() async throws {
        let world = try await World.make()
        try await world.acceptRest(1)
        let release = try await world.release("v1")
        let document = try await world.document(release.id)
        #expect(release.labelCount == document.labels.count && release.chipCount == document.chips.count && release.chipCount > 0)
        let first = world.base.directory.url.appendingPathComponent("first")
        _ = try await ReleaseExporter(service: world.base.service, releaseId: release.id).run(into: first, by: world.base.trainer)

        // The project moves on: every other task accepted (the imported field's labels), a second scene registered.
        try await world.acceptRest(1000, drawing: true)
        _ = try await world.base.service.registerScene(projectId: world.base.projectId,
                                                        SceneRegistration(uri: Fixture.path("utm_multiband.tif")), by: .commandLine)
        let live = try await world.base.service.exportSource(projectId: world.base.projectId, statuses: [.accepted], by: .commandLine)
        #expect(live.labels.count > document.labels.count, "the live project has more accepted labels now")
        let second = world.base.directory.url.appendingPathComponent("second")
        var again = ReleaseExporter(service: world.base.service, releaseId: release.id)
        again.threads = 1
        _ = try await again.run(into: second, by: .commandLine)
        let (a, b) = (try Self.files(first), try Self.files(second))
        #expect(a.count > 5 && Set(a.keys) == Set(b.keys), "\(a.count) files, then \(b.count)")
        for name in a.keys.sorted() { #expect(a[name] == b[name], "\(name) differs") }

        // Lineage on every label feature: the release, the label's version and lineage, its task's accepting review.
        let reviews = try await world.base.service.reviews(taskId: world.firstTask, for: .commandLine)
        let accepting = try #require(reviews.last { $0.decision == .accept })
        var features = 0
        for (name, data) in a where name.hasSuffix("labels.geojson") {
            let collection = try JSONSerialization.jsonObject(with: data) as! [String: Any]
            for feature in collection["features"] as! [[String: Any]] {
                let properties = feature["properties"] as! [String: Any]
                features += 1
                #expect(properties["release"] as? Int == Int(release.id) && properties["releaseName"] as? String == "v1")
                let label = try #require(document.labels.first { $0.id == Int64(properties["labelId"] as! Int) })
                #expect(properties["labelVersion"] as? Int == label.version && properties["lineageId"] as? Int == Int(label.lineageId))
                #expect(properties["taskId"] as? Int == Int(label.taskId))
                if label.taskId == world.firstTask {
                    #expect(properties["reviewId"] as? Int == Int(accepting.id))
                    #expect((properties["annotator"] as? String)?.hasPrefix("annotator-") == true)
                }
            }
        }
        #expect(features >= Set(document.chips.flatMap(\.labelIds)).count, "every label of every chip is in its labels.geojson")
        // The moved cropland square is version 2 of its lineage, which began with the first save.
        let moved = try #require(document.labels.first { $0.taskId == world.firstTask && $0.classId == 40 })
        #expect(moved.version == 2 && moved.previousId == moved.lineageId && moved.lineageId < moved.id)
        for (name, data) in a where name.hasSuffix("item.json") {
            let item = try JSONSerialization.jsonObject(with: data) as! [String: Any]
            #expect((item["properties"] as! [String: Any])["swath:release"] as? Int == Int(release.id), "\(name)")
        }
    }

    /// A scene file replaced after the release stops its export, naming the scene; trainers never see the path.
    @Test func aChangedSceneFileIsRefusedNamingTheScene() async throws {
        let folder = try TemporaryDirectory("release-scene")
        let copy = folder.file("scene.tif")
        try FileManager.default.copyItem(atPath: Fixture.path("utm_multiband.tif"), toPath: copy)
        let world = try await World.make(scenePath: copy)
        let release = try await world.release("before")
        let document = try await world.document(release.id)
        let sceneId = try #require(document.scenes.first?.id)
        #expect(document.scenes.first?.identity.sha256 == (try Shell.run("sha256sum", [copy]).stdout.split(separator: " ").first.map(String.init)))
        let handle = try #require(FileHandle(forWritingAtPath: copy))
        try handle.seekToEnd()
        try handle.write(contentsOf: Data([0]))
        try handle.close()
        for (caller, showsPath) in [(world.base.trainer, false), (User.commandLine, true)] {
            let out = world.base.directory.url.appendingPathComponent("out-\(showsPath)")
            do {
                _ = try await ReleaseExporter(service: world.base.service, releaseId: release.id).run(into: out, by: caller)
                Issue.record("a changed scene file was exported")
            } catch let error as ExportError {
                #expect(error.description.contains("scene \(sceneId) changed since release 'before'"), "\(error)")
                #expect(error.description.contains(copy) == showsPath, "\(error)")
            }
            #expect(!FileManager.default.fileExists(atPath: out.appendingPathComponent("manifest.jsonl").path))
        }
    }

    /// Names are checked, used once per project; only managers make releases; others' releases are "not found".
    @Test func namesRolesAndStrangers() async throws {
        let world = try await World.make()
        _ = try await world.release("v1")
        await #expect(throws: LabelingError.conflict("the project already has a release named 'v1'")) { try await world.release("v1") }
        for bad in ["", "a/b", String(repeating: "x", count: 101), "../up"] {
            await #expect(throws: LabelingError.self, "\(bad)") { try await world.release(bad) }
        }
        var request = ExportRequest()
        request.chipSize = 100
        await #expect(throws: LabelingError.self) {
            try await ReleaseMaker(service: world.base.service).create(projectId: world.base.projectId, name: "mine", request: request,
                                                                       by: world.base.trainer)
        }
        request.statuses = ["submitted"]
        await #expect(throws: ExportError.self) {
            try await ReleaseMaker(service: world.base.service).create(projectId: world.base.projectId, name: "more", request: request,
                                                                       by: .commandLine)
        }
        let (stranger, _) = try await world.base.service.createUser(name: "stranger", isAdmin: false, by: .commandLine)
        await #expect(throws: LabelingError.notFound("release 1 not found")) { try await world.base.service.release(id: 1, for: stranger) }
        await #expect(throws: LabelingError.notFound("release 99 not found")) { try await world.base.service.release(id: 99, for: .commandLine) }
        await #expect(throws: LabelingError.self) { try await world.base.service.release(id: 1, for: world.base.annotator) }
    }

    /// Hand-made edits on a copy of a release's document: one label removed, one added, one moved 10 pixels
    /// (two 50-pixel squares: IoU 40 × 50 / (2 × 2500 − 2000) = 2/3), one reclassified.
    @Test func aDiffCountsHandMadeEdits() async throws {
        let world = try await World.make()
        let release = try await world.release("v1")
        let a = try await world.document(release.id)
        let mine = a.labels.filter { $0.taskId == world.firstTask }.sorted { $0.classId < $1.classId }
        try #require(mine.map(\.classId) == [30, 40, 301], "grassland, cropland, building")
        let (grass, crop, building) = (mine[0], mine[1], mine[2])
        var b = a
        b.name = "hand-made"
        b.labels.removeAll { $0.id == building.id }
        let pixelWidth = try #require(a.scenes.first?.registration.geoTransform[1])
        let outline = try MultiPolygon(wkb: [UInt8](try #require(Data(base64Encoded: crop.geometryWKB))))
        let moved = outline.map { Point(x: $0.x + 10 * pixelWidth, y: $0.y) }
        for index in b.labels.indices {
            if b.labels[index].id == crop.id { b.labels[index].geometryWKB = Data(moved.wkb).base64EncodedString() }
            if b.labels[index].id == grass.id { b.labels[index].classId = 20 }
        }
        var added = crop
        added.id = 9_000_001
        added.lineageId = added.id
        b.labels.append(added)

        let diff = try ReleaseDiff.between((release.id, a), (release.id + 1, b))
        #expect(diff.labels == ReleaseDiff.Counts(added: 1, removed: 1, changed: 2, unchanged: a.labels.count - 3))
        let move = try #require(diff.changed.first { $0.lineageId == crop.lineageId })
        #expect(abs((move.iou ?? 0) - 2.0 / 3.0) < 1e-9 && move.classFrom == nil, "\(move)")
        let reclassified = try #require(diff.changed.first { $0.lineageId == grass.lineageId })
        #expect(reclassified.classFrom == "grassland" && reclassified.classTo == "shrubland" && reclassified.iou == nil)
        #expect(diff.removed.map(\.labelId) == [building.id] && diff.added.map(\.labelId) == [added.id])
        #expect(diff.labelsByClass["building"]?.removed == 1 && diff.labelsByClass["shrubland"]?.changed == 1)
        #expect(diff.labelsByClass["cropland"]?.added == 1 && diff.labelsByClass["cropland"]?.changed == 1)
        #expect(diff.chips.unchanged == a.chips.count && diff.chips.changed == 0, "the chips' label ids are as frozen")
        #expect(diff.table.contains("IoU 0.667") && diff.table.contains("class grassland → shrubland"), "\(diff.table)")
        let splitTotal = diff.labelsBySplit.values.reduce(0) { $0 + $1.added + $1.removed + $1.changed + $1.unchanged }
        #expect(splitTotal == a.labels.count + 1)

        var stranger = b
        stranger.projectId += 1
        #expect(throws: ExportError.self) { try ReleaseDiff.between((release.id, a), (99, stranger)) }
    }

    /// The card against the export it came with: chips per split as the manifest, labels per class and split as the
    /// labels.geojson features (each label in the split of its first chip), sources, and the three squares' areas on
    /// the ground (50², 30² and 30² pixels of 10 m, within the 0.1 % UTM's scale factor allows); previews are PNGs.
    @Test func theCardAgreesWithTheExport() async throws {
        let world = try await World.make()
        let release = try await world.release("carded")
        let out = world.base.directory.url.appendingPathComponent("carded")
        _ = try await ReleaseExporter(service: world.base.service, releaseId: release.id).run(into: out, by: .commandLine)
        let card = try JSONSerialization.jsonObject(with: Data(contentsOf: out.appendingPathComponent("card.json"))) as! [String: Any]
        let manifest = try String(contentsOf: out.appendingPathComponent("manifest.jsonl"), encoding: .utf8).split(separator: "\n").map {
            try JSONSerialization.jsonObject(with: Data($0.utf8)) as! [String: Any]
        }
        let chipsPerSplit = Dictionary(grouping: manifest, by: { $0["split"] as! String }).mapValues(\.count)
        #expect(card["chips"] as? [String: Int] == chipsPerSplit)
        var firstSplit: [Int: (split: String, className: String, source: String)] = [:]
        for entry in manifest.sorted(by: { ($0["id"] as! String) < ($1["id"] as! String) }) {
            let id = entry["id"] as! String
            let labels = try JSONSerialization.jsonObject(with: Data(contentsOf: out.appendingPathComponent("chips/\(id)/labels.geojson"))) as! [String: Any]
            for feature in labels["features"] as! [[String: Any]] {
                let properties = feature["properties"] as! [String: Any]
                let labelId = properties["labelId"] as! Int
                if firstSplit[labelId] == nil {
                    firstSplit[labelId] = (entry["split"] as! String, properties["class"] as! String, properties["source"] as! String)
                }
            }
        }
        let classes = card["classes"] as! [String: [String: [String: Any]]]
        for (split, figures) in classes {
            for (name, counts) in figures {
                #expect(counts["labels"] as? Int == firstSplit.values.filter { $0.split == split && $0.className == name }.count, "\(split) \(name)")
            }
        }
        #expect(classes.values.reduce(0) { $0 + $1.values.reduce(0) { $0 + ($1["labels"] as! Int) } } == firstSplit.count)
        #expect(card["sources"] as? [String: Int] == Dictionary(grouping: firstSplit.values, by: \.source).mapValues(\.count))
        let area = classes.values.flatMap(\.values).reduce(0.0) { $0 + ($1["areaSquareMetres"] as! Double) }
        let squarePixels: Int = 50 * 50 + 30 * 30 + 30 * 30
        let pixels = Double(squarePixels) * 100.0
        #expect(abs(area - pixels) / pixels < 0.002, "\(area) m² against \(pixels) m² on the UTM grid")
        for name in (card["previews"] as! [String: String]).values {
            let preview = try Raster.open(out.appendingPathComponent(name).path)
            #expect(preview.width == 256 && preview.height == 256 && preview.bandCount == 4, "\(name)")
        }
        let markdown = try String(contentsOf: out.appendingPathComponent("card.md"), encoding: .utf8)
        #expect(markdown.contains("# Release \(release.id): carded") && markdown.contains("| cropland |") == classes.values.contains { $0["cropland"] != nil })
    }

    /// A release exported to S3 (moto on loopback) gives the files of its export to disk, card and manifest included.
    @Test func aReleaseExportedToS3EqualsTheLocalOne() async throws {
        let s3 = try MotoS3.forThisProcess()
        try s3.put(Fixture.path("utm_multiband.tif"), bucket: "releases", key: "seed.tif")
        let world = try await World.make()
        let release = try await world.release("to s3")
        let local = world.base.directory.url.appendingPathComponent("local")
        _ = try await ReleaseExporter(service: world.base.service, releaseId: release.id).run(into: local, by: .commandLine)
        let prefix = try #require(try ObjectPrefix.parse("s3://releases/v1/"))
        _ = try await ReleaseExporter(service: world.base.service, releaseId: release.id).run(into: prefix, by: world.base.trainer)
        let downloaded = world.base.directory.url.appendingPathComponent("downloaded")
        try s3.get(bucket: "releases", prefix: "v1/", into: downloaded.path)
        let (a, b) = (try Self.files(local), try Self.files(downloaded))
        #expect(Set(a.keys) == Set(b.keys) && a.keys.contains("card.json") && a.keys.contains("manifest.jsonl"), "\(Set(a.keys).symmetricDifference(b.keys))")
        for name in a.keys.sorted() { #expect(a[name] == b[name], "\(name)") }
    }
}

