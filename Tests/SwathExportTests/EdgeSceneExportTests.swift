import Foundation
import Testing
import SwathExport
import SwathGeo
import SwathLabels
import SwathTestSupport

/// Exports of scenes at the edges of the map, every background chip kept, read back from manifest.jsonl, each
/// chip's item.json (STAC) and labels.geojson. Checked against gdalinfo (the scene's grid), PROJ's cs2cs (corners),
/// GDAL's own cut at the antimeridian (`ogr2ogr -wrapdateline`), hand geometry (where the pole and 180° lie in the
/// scene's CRS, which chip a label falls in) and the RFC 7946 validator trainers use (geojson-validator):
/// - a 400 km scene centred on the South Pole (EPSG:3031) in 128-pixel chips, a 60 km square round the pole
///   imported as a label: the chip holding the pole has bbox [-180, -90, 180, n] in the manifest and its item, its
///   outline one polygon closed along -90°, and its label a polygon closed along the pole that holds the pole's
///   neighbourhood at every longitude; the chips below it, astride the 180° meridian, are cut there;
/// - the antimeridian fixture (UTM 60N) in 32-pixel chips with a field across 180°: the chips across it have
///   bbox west > east and a MultiPolygon outline cut at ±180, their label pieces cut as GDAL cuts them.
@Suite struct EdgeSceneExportTests {
    /// A project over `scenePath` in `tileSize` tasks, `rings` (in EPSG:`epsg` metres) imported as `className`, every task
    /// accepted, then exported in `chipSize` chips with every background chip kept.
    static func export(_ scenePath: String, in directory: TemporaryDirectory, tileSize: Int, chipSize: Int, epsg: Int,
                       rings: [[[Double]]], className: String) async throws -> (report: ExportReport, out: URL) {
        let service = LabelingService(store: try SQLiteStore(path: directory.file("edge.sqlite")))
        let cli = User.commandLine
        let project = try await service.createProject(ProjectDraft(customer: "Acme", codename: "PETREL", settings: ProjectSettings(tileSize: tileSize)),
                                                      by: cli)
        let scene = try await service.registerScene(projectId: project.id, SceneRegistration(uri: scenePath), by: cli)
        // Legacy GeoJSON with a crs member, as OGR reads it: the labels in the scene's own metres.
        let features = rings.map { ring in
            let coordinates = ring.map { "[\($0[0]), \($0[1])]" }.joined(separator: ",")
            return #"{"type":"Feature","properties":{},"geometry":{"type":"Polygon","coordinates":[["# + coordinates + "]]}}"
        }
        let geojson = #"{"type":"FeatureCollection","crs":{"type":"name","properties":{"name":"urn:ogc:def:crs:EPSG::\#(epsg)"}},"features":["#
            + features.joined(separator: ",") + "]}"
        let imported = try await service.importLabels(sceneId: scene.id, data: Array(geojson.utf8), options: ImportOptions(fixedClass: className), by: cli)
        try #require(imported.featuresAccepted == rings.count && imported.rejected.isEmpty, "\(imported.rejected)")
        func member(_ name: String, _ role: Role) async throws -> User {
            let (user, _) = try await service.createUser(name: name, isAdmin: false, by: cli)
            try await service.addMember(projectId: project.id, userId: user.id, role: role, by: cli)
            return user
        }
        let annotator = try await member("ann", .annotator)
        let reviewer = try await member("rey", .reviewer)
        let trainer = try await member("tom", .trainer)
        while let task = try await service.claim(projectId: project.id, by: annotator) {
            _ = try await service.submit(taskId: task.id, by: annotator)
            _ = try await service.review(taskId: task.id, decision: .accept, comment: nil, by: reviewer)
        }
        var options = ExportOptions()
        options.chipSize = chipSize
        options.backgroundRatio = 1
        let out = directory.url.appendingPathComponent("out")
        let report = try await Exporter(service: service, projectId: project.id, outDir: out, options: options).run(by: trainer)
        return (report, out)
    }

    /// The scene's geotransform as gdalinfo reads it (GDAL's order).
    static func geoTransform(_ path: String) throws -> [Double] {
        let transform = try #require(try GDALTools.info(path)["geoTransform"] as? [Double])
        try #require(transform.count == 6)
        return transform
    }

    /// A window's corners in the scene's CRS by GDAL's affine formula: top-left, top-right, bottom-left, bottom-right.
    static func corners(_ window: Window, _ t: [Double]) -> [Point] {
        [(0, 0), (window.width, 0), (0, window.height), (window.width, window.height)].map { offset -> Point in
            let col = Double(window.col + offset.0), row = Double(window.row + offset.1)
            return Point(x: t[0] + col * t[1] + row * t[2], y: t[3] + col * t[4] + row * t[5])
        }
    }

    /// A manifest line's window.
    static func window(_ entry: [String: Any]) throws -> Window {
        let values = try #require(entry["window"] as? [Int])
        try #require(values.count == 4)
        return Window(col: values[0], row: values[1], width: values[2], height: values[3])
    }

    /// GeoJSON Polygon or MultiPolygon coordinates as polygons of rings of [lon, lat].
    static func polygons(_ geometry: [String: Any]) throws -> [[[[Double]]]] {
        if geometry["type"] as? String == "Polygon" {
            return [try #require(geometry["coordinates"] as? [[[Double]]], "\(geometry)")]
        }
        #expect(geometry["type"] as? String == "MultiPolygon", "\(geometry)")
        return try #require(geometry["coordinates"] as? [[[[Double]]]], "\(geometry)")
    }

    static func positions(_ polygons: [[[[Double]]]]) -> [[Double]] {
        polygons.flatMap { $0.flatMap { $0 } }
    }

    /// Twice the signed area in lon/lat (shoelace): positive for a counter-clockwise ring.
    static func signedArea(_ ring: [[Double]]) -> Double {
        zip(ring, ring.dropFirst()).reduce(0) { $0 + ($1.0[0] * $1.1[1] - $1.1[0] * $1.0[1]) }
    }

    /// RFC 7946: positions within -180…180, -90…90; rings closed, of four positions or more; exterior rings counter-clockwise.
    static func checkRFC7946(_ polygons: [[[[Double]]]], _ what: String) {
        #expect(!polygons.isEmpty, "\(what): no polygon")
        #expect(positions(polygons).allSatisfy { $0.count >= 2 && (-180...180).contains($0[0]) && (-90...90).contains($0[1]) },
                "\(what): a position outside -180…180, -90…90")
        for polygon in polygons {
            for ring in polygon { #expect(ring.count >= 4 && ring.first == ring.last, "\(what): a ring not closed") }
            if let exterior = polygon.first { #expect(signedArea(exterior) > 0, "\(what): exterior ring not counter-clockwise") }
        }
    }

    /// Two longitudes apart, the short way round (180° and -180° are one meridian).
    static func lonDistance(_ a: Double, _ b: Double) -> Double {
        abs((a - b).remainder(dividingBy: 360))
    }

    static func hasVertex(_ polygons: [[[[Double]]]], _ point: Point, within tolerance: Double = 1e-7) -> Bool {
        positions(polygons).contains { abs($0[1] - point.y) < tolerance && lonDistance($0[0], point.x) < tolerance }
    }

    /// A part of a cut geometry: all its longitudes on one side of the antimeridian and reaching it.
    static func touches(_ polygon: [[[Double]]], meridian: Double) -> Bool {
        let lons = polygon.flatMap { $0.map { $0[0] } }
        guard let west = lons.min(), let east = lons.max() else { return false }
        return meridian > 0 ? (west >= 0 && abs(east - 180) < 1e-9) : (east <= 0 && abs(west + 180) < 1e-9)
    }

    /// Cut at ±180° into two parts, one each side.
    static func isCutAt180(_ polygons: [[[[Double]]]]) -> Bool {
        polygons.count == 2 && polygons.contains { touches($0, meridian: 180) } && polygons.contains { touches($0, meridian: -180) }
    }

    /// Even-odd ray casting over every ring of every polygon, in lon/lat, by hand.
    static func contains(_ polygons: [[[[Double]]]], _ point: Point) -> Bool {
        polygons.contains { polygon in
            var inside = false
            for ring in polygon {
                for (a, b) in zip(ring, ring.dropFirst()) where (a[1] > point.y) != (b[1] > point.y) {
                    if point.x < a[0] + (point.y - a[1]) / (b[1] - a[1]) * (b[0] - a[0]) { inside.toggle() }
                }
            }
            return inside
        }
    }

    /// The window's columns run strictly either side of `pixel`'s column.
    static func astride(_ window: Window, _ pixel: Point) -> Bool {
        Double(window.col) < pixel.x && pixel.x < Double(window.col + window.width)
    }

    /// The window's rows run strictly either side of `row`.
    static func spans(_ window: Window, row: Double) -> Bool {
        Double(window.row) < row && row < Double(window.row + window.height)
    }

    /// geojson-validator's structure and geometry checks (its "invalid" criteria) over each file; nil when all pass.
    static func validatorComplaints(_ files: [String]) throws -> String? {
        let script = """
        import json, sys, geojson_validator
        bad = 0
        for path in sys.argv[1:]:
            g = json.load(open(path))
            structure = geojson_validator.validate_structure(g, check_crs=False)
            geometries = geojson_validator.validate_geometries(g)
            if structure or geometries["invalid"]:
                print(path, structure, geometries["invalid"]); bad += 1
        print("bad", bad)
        sys.exit(1 if bad else 0)
        """
        let result = try Shell.run("python3", ["-c", script] + files)
        return result.status == 0 && result.stdout.contains("bad 0") ? nil : result.stdout + result.stderr
    }

    @Test func theChipHoldingTheSouthPoleSpansEveryLongitude() async throws {
        let folder = try TemporaryDirectory("swath-edge-export-polar")
        let scene = try PolarScene.make(epsg: 3031, in: folder, name: "south-pole.tif")
        // A 60 km square round the pole, in EPSG:3031 metres (symmetric, so either axis order reads it the same).
        let square = [[-30_000.0, -30_000], [30_000, -30_000], [30_000, 30_000], [-30_000, 30_000], [-30_000, -30_000]]
        let (report, out) = try await Self.export(scene, in: folder, tileSize: 128, chipSize: 128, epsg: 3031, rings: [square], className: "cropland")
        #expect(report.sceneFailures.isEmpty, "\(report.sceneFailures)")
        #expect(report.chipsWritten == 16, "400 pixels in 128-pixel chips, padded: 4 × 4")
        let entries = try manifest(out)
        #expect(entries.count == 16)

        // The pole and the 180° meridian by cs2cs: the pole is EPSG:3031's origin; 180° runs from it along x = 0, y < 0.
        let marks = try GDALTools.toLonLat(fromEPSG: 3031, [Point(x: 0, y: 0), Point(x: 0, y: -100_000), Point(x: 0, y: 100_000)])
        try #require(abs(marks[0].y + 90) < 1e-9, "EPSG:3031's origin is the South Pole: \(marks[0])")
        try #require(abs(abs(marks[1].x) - 180) < 1e-9 && abs(marks[2].x) < 1e-9, "180° along x = 0, y < 0: \(marks)")
        let transform = try Self.geoTransform(scene)
        try #require(transform[2] == 0 && transform[4] == 0)
        // The pole in pixels (200, 200), by inverting the unrotated geotransform.
        let pole = Point(x: (0 - transform[0]) / transform[1], y: (0 - transform[3]) / transform[5])
        let labelCorners = try GDALTools.toLonLat(fromEPSG: 3031, square.map { Point(x: $0[0], y: $0[1]) })
        let labelNorth = try #require(labelCorners.map(\.y).max())

        var polar = 0, crossing = 0
        var labelFiles: [String] = []
        for entry in entries {
            let id = try #require(entry["id"] as? String)
            let window = try Self.window(entry)
            let bbox = try #require(entry["bbox"] as? [Double], "\(id)")
            try #require(bbox.count == 4, "\(id): \(bbox)")
            let item = try json(out.appendingPathComponent(try #require(entry["item"] as? String)))
            #expect(item["type"] as? String == "Feature" && item["id"] as? String == id)
            #expect(item["bbox"] as? [Double] == bbox, "\(id): the item's bbox is the manifest's")
            let outline = try Self.polygons(try #require(item["geometry"] as? [String: Any], "\(id)"))
            Self.checkRFC7946(outline, "item \(id)")
            let labelsPath = out.appendingPathComponent(try #require(entry["labels"] as? String))
            labelFiles.append(labelsPath.path)
            let features = try #require(try json(labelsPath)["features"] as? [[String: Any]], "\(id)")
            for feature in features {
                Self.checkRFC7946(try Self.polygons(try #require(feature["geometry"] as? [String: Any])), "label of \(id)")
            }
            let corners = try GDALTools.toLonLat(fromEPSG: 3031, Self.corners(window, transform))
            for corner in corners { #expect(Self.hasVertex(outline, corner), "\(id): corner \(corner) is not a vertex of the item's outline") }

            if Self.astride(window, pole) && Self.spans(window, row: pole.y) {
                polar += 1
                #expect(bbox[0] == -180 && bbox[2] == 180 && bbox[1] == -90, "\(id) holds the pole: \(bbox)")
                // Its north: the corner farthest from the pole.
                let north = try #require(corners.map(\.y).max())
                #expect(abs(bbox[3] - north) < 1e-7, "\(id): north \(bbox[3]), cs2cs \(north)")
                #expect(outline.count == 1 && (item["geometry"] as? [String: Any])?["type"] as? String == "Polygon",
                        "\(id): one polygon, no seam")
                #expect(Self.positions(outline).contains { $0[1] == -90 }, "\(id): the outline is closed along the pole")
                // The square round the pole: one feature, closed along -90°, PROJ's corners, the pole's neighbourhood inside.
                #expect(features.count == 1, "\(id): \(features.count) labels")
                let feature = try #require(features.first)
                let label = try Self.polygons(try #require(feature["geometry"] as? [String: Any]))
                #expect(Self.positions(label).contains { $0[1] == -90 }, "\(id): the label is closed along the pole")
                for corner in labelCorners { #expect(Self.hasVertex(label, corner), "\(id): label corner \(corner) (cs2cs)") }
                for lon in stride(from: -175.0, through: 175, by: 25) {
                    #expect(Self.contains(label, Point(x: lon, y: -89.9)), "\(id): (\(lon), -89.9) is inside the square round the pole")
                    #expect(!Self.contains(label, Point(x: lon, y: -89.5)), "\(id): (\(lon), -89.5) is 55 km from the pole, outside")
                }
                let box = try #require(feature["bbox"] as? [Double], "\(id): the label's bbox")
                try #require(box.count == 4)
                #expect(box[0] == -180 && box[1] == -90 && box[2] == 180 && abs(box[3] - labelNorth) < 1e-7, "\(id): label bbox \(box)")
            } else {
                #expect(!Self.positions(outline).contains { $0[1] == -90 } && bbox[1] > -90, "\(id) does not hold the pole: \(bbox)")
                #expect(features.isEmpty, "\(id): the square round the pole lies in the pole's chip only")
                if Self.astride(window, pole) && Double(window.row) > pole.y {
                    crossing += 1
                    #expect(bbox[0] > bbox[2], "\(id) crosses 180°: west > east, \(bbox)")
                    #expect(Self.isCutAt180(outline), "\(id): a MultiPolygon cut at ±180, \(outline.count) parts")
                } else {
                    #expect(bbox[0] <= bbox[2], "\(id): \(bbox)")
                    #expect(outline.count == 1, "\(id): \(outline.count) parts")
                }
            }
        }
        #expect(polar == 1, "exactly one chip holds the pole")
        #expect(crossing >= 1, "the test needs chips across 180°")
        let complaints = try Self.validatorComplaints(labelFiles)
        #expect(complaints == nil, "\(complaints ?? "")")
        withExtendedLifetime(folder) {}
    }

    @Test func chipsAcrossTheAntimeridianAreCutThere() async throws {
        let folder = try TemporaryDirectory("swath-edge-export-am")
        let scene = Fixture.path("antimeridian.tif")
        // A field across 180° (columns 20…60, rows 10…40 of the fixture), in UTM 60N metres.
        let field = (minX: 620_000.0, minY: 7_210_000.0, maxX: 660_000.0, maxY: 7_240_000.0)
        let ring = [[field.minX, field.maxY], [field.minX, field.minY], [field.maxX, field.minY], [field.maxX, field.maxY], [field.minX, field.maxY]]
        let (report, out) = try await Self.export(scene, in: folder, tileSize: 64, chipSize: 32, epsg: 32660, rings: [ring], className: "high severity")
        #expect(report.sceneFailures.isEmpty, "\(report.sceneFailures)")
        #expect(report.chipsWritten == 8, "100 × 50 pixels in 32-pixel chips, padded: 4 × 2")
        let entries = try manifest(out)
        #expect(entries.count == 8)
        let transform = try Self.geoTransform(scene)

        var seen: [String: Int] = [:]
        var labelFiles: [String] = []
        for entry in entries {
            let id = try #require(entry["id"] as? String)
            let window = try Self.window(entry)
            let bbox = try #require(entry["bbox"] as? [Double], "\(id)")
            try #require(bbox.count == 4, "\(id): \(bbox)")
            let item = try json(out.appendingPathComponent(try #require(entry["item"] as? String)))
            #expect(item["bbox"] as? [Double] == bbox, "\(id): the item's bbox is the manifest's")
            let outline = try Self.polygons(try #require(item["geometry"] as? [String: Any], "\(id)"))
            Self.checkRFC7946(outline, "item \(id)")
            let labelsPath = out.appendingPathComponent(try #require(entry["labels"] as? String))
            labelFiles.append(labelsPath.path)
            let features = try #require(try json(labelsPath)["features"] as? [[String: Any]], "\(id)")

            // The chip's corners through cs2cs: all east of 180° (positive), all west (negative), or both: across it.
            let metres = Self.corners(window, transform)
            let corners = try GDALTools.toLonLat(fromEPSG: 32660, metres)
            #expect(Self.hasVertex(outline, corners[0]), "\(id): top-left corner \(corners[0]) is not a vertex")
            let lats = corners.map(\.y)
            let south = try #require(lats.min()), north = try #require(lats.max())
            #expect(abs(bbox[1] - south) < 1e-7 && abs(bbox[3] - north) < 1e-7, "\(id): \(bbox) vs cs2cs \(south)…\(north)")
            let eastern = corners.map(\.x).filter { $0 > 0 }, western = corners.map(\.x).filter { $0 < 0 }
            if !eastern.isEmpty, !western.isEmpty {
                seen["across", default: 0] += 1
                let west = try #require(eastern.min()), east = try #require(western.max())
                #expect(bbox[0] > bbox[2], "\(id) crosses 180°: west > east, \(bbox)")
                #expect(abs(bbox[0] - west) < 1e-7 && abs(bbox[2] - east) < 1e-7, "\(id): \(bbox) vs cs2cs \(west) … \(east)")
                #expect((item["geometry"] as? [String: Any])?["type"] as? String == "MultiPolygon")
                #expect(Self.isCutAt180(outline), "\(id): the outline is cut at ±180 in two parts")
            } else {
                seen[eastern.isEmpty ? "west" : "east", default: 0] += 1
                let lons = corners.map(\.x)
                let west = try #require(lons.min()), east = try #require(lons.max())
                #expect(bbox[0] <= bbox[2], "\(id): \(bbox)")
                #expect(abs(bbox[0] - west) < 1e-7 && abs(bbox[2] - east) < 1e-7, "\(id): \(bbox) vs cs2cs \(west) … \(east)")
                #expect(outline.count == 1 && Self.positions(outline).allSatisfy { eastern.isEmpty ? $0[0] < 0 : $0[0] > 0 }, "\(id)")
            }

            // The field's piece in the chip, by hand: the two rectangles' overlap in UTM metres.
            let xs = metres.map(\.x), ys = metres.map(\.y)
            let chipMinX = try #require(xs.min()), chipMaxX = try #require(xs.max())
            let chipMinY = try #require(ys.min()), chipMaxY = try #require(ys.max())
            let piece = (minX: max(field.minX, chipMinX), minY: max(field.minY, chipMinY), maxX: min(field.maxX, chipMaxX), maxY: min(field.maxY, chipMaxY))
            guard piece.minX < piece.maxX, piece.minY < piece.maxY else {
                #expect(features.isEmpty, "\(id): the field does not reach this chip")
                continue
            }
            #expect(features.count == 1, "\(id): \(features.count) labels")
            let feature = try #require(features.first)
            let label = try Self.polygons(try #require(feature["geometry"] as? [String: Any]))
            Self.checkRFC7946(label, "label of \(id)")
            let pieceRing = [Point(x: piece.minX, y: piece.maxY), Point(x: piece.minX, y: piece.minY), Point(x: piece.maxX, y: piece.minY),
                             Point(x: piece.maxX, y: piece.maxY), Point(x: piece.minX, y: piece.maxY)]
            let pieceCorners = try GDALTools.toLonLat(fromEPSG: 32660, pieceRing)
            let box = try #require(feature["bbox"] as? [Double], "\(id): the label's bbox")
            try #require(box.count == 4)
            if pieceCorners.contains(where: { $0.x > 0 }) && pieceCorners.contains(where: { $0.x < 0 }) {
                seen["label across", default: 0] += 1
                #expect(Self.isCutAt180(label), "\(id): the label piece is cut at ±180 in two parts")
                #expect(box[0] > box[2], "\(id): label bbox west > east, \(box)")
                // GDAL's own cut of the same piece: the same vertices (to the 1e-7° the labels are written with).
                let reference = try GDALTools.wrapDateline(fromEPSG: 32660, ring: pieceRing)
                #expect(reference.count == 2, "\(id): ogr2ogr -wrapdateline cut it in \(reference.count)")
                for point in reference.flatMap({ $0 }) {
                    #expect(Self.hasVertex(label, point, within: 2e-7), "\(id): GDAL's vertex \(point) is not one of the label's")
                }
            } else {
                #expect(label.count == 1 && box[0] <= box[2], "\(id): \(box)")
                for corner in pieceCorners { #expect(Self.hasVertex(label, corner, within: 2e-7), "\(id): label corner \(corner) (cs2cs)") }
            }
        }
        #expect(seen["across", default: 0] >= 1 && seen["east", default: 0] >= 1 && seen["west", default: 0] >= 1,
                "the test needs chips across 180° and on both sides: \(seen)")
        #expect(seen["label across", default: 0] >= 1, "the test needs a label piece across 180°: \(seen)")
        let complaints = try Self.validatorComplaints(labelFiles)
        #expect(complaints == nil, "\(complaints ?? "")")
        withExtendedLifetime(folder) {}
    }
}
