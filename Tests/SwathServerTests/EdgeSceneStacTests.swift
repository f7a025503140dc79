import Foundation
import HummingbirdTesting
import Testing
import SwathExport
import SwathGeo
import SwathLabels
import SwathTestSupport

/// The STAC API's `/search` over releases of scenes at the edges of the map, every background chip kept. Which chip
/// should be found is worked out without the server: chips' corners through cs2cs, the pole's pixel from gdalinfo's
/// geotransform, and the distance from the pole to the nearest chip that does not hold it.
/// - the antimeridian fixture (UTM 60N) in 32-pixel chips: a bbox across ±180° (west > east) finds the chips across
///   it; a thin one round 180° finds exactly them, as do thin ones touching 180° from either side; one far away, none;
/// - a 400 km scene centred on the South Pole (EPSG:3031) in 128-pixel chips: bboxes round the pole, at any longitude
///   and across ±180°, find exactly the chip holding the pole; one far away, none.
@Suite struct EdgeSceneStacTests {
    /// Every task of project A accepted, then a release of it in `chipSize` chips, background included.
    static func release(_ world: TestWorld, chipSize: Int) async throws -> ReleaseView {
        try await world.acceptEverything()
        var request = ExportRequest()
        request.chipSize = chipSize
        request.backgroundRatio = 1
        return try await ReleaseMaker(service: world.service).create(projectId: world.projectA, name: "edge", request: request, by: .commandLine)
    }

    /// The items a GET search with `bbox` finds in the release.
    static func search(_ client: any TestClientProtocol, _ world: TestWorld, _ release: ReleaseView, bbox: String) async throws -> [[String: Any]] {
        let reply = try await client.call(.get, "/api/v1/stac/search?limit=100&collections=release-\(release.id)&bbox=\(bbox)", token: world.trainer)
        #expect(reply.status == .ok, "bbox \(bbox): \(reply.text)")
        return try #require(reply.object["features"] as? [[String: Any]], "bbox \(bbox): \(reply.text)")
    }

    static func ids(_ items: [[String: Any]]) -> Set<String> {
        Set(items.compactMap { $0["id"] as? String })
    }

    /// A chip's id, as the export names it.
    static func chipId(_ scene: SceneID, row: Int, col: Int) -> String {
        "s\(scene)_r\(String(format: "%04d", row))_c\(String(format: "%04d", col))"
    }

    /// The scene's grid as gdalinfo reads it: GDAL's geotransform and the size in pixels.
    static func grid(_ path: String) throws -> (transform: [Double], width: Int, height: Int) {
        let info = try GDALTools.info(path)
        let transform = try #require(info["geoTransform"] as? [Double])
        let size = try #require(info["size"] as? [Int])
        try #require(transform.count == 6 && size.count == 2)
        return (transform, size[0], size[1])
    }

    /// A window's corners in the scene's CRS by GDAL's affine formula.
    static func corners(_ window: Window, _ t: [Double]) -> [Point] {
        [(0, 0), (window.width, 0), (0, window.height), (window.width, window.height)].map { offset -> Point in
            let col = Double(window.col + offset.0), row = Double(window.row + offset.1)
            return Point(x: t[0] + col * t[1] + row * t[2], y: t[3] + col * t[4] + row * t[5])
        }
    }

    /// An item's outline as polygons of rings of [lon, lat].
    static func polygons(_ item: [String: Any]) throws -> [[[[Double]]]] {
        let geometry = try #require(item["geometry"] as? [String: Any])
        if geometry["type"] as? String == "Polygon" { return [try #require(geometry["coordinates"] as? [[[Double]]])] }
        #expect(geometry["type"] as? String == "MultiPolygon", "\(geometry)")
        return try #require(geometry["coordinates"] as? [[[[Double]]]])
    }

    static func inRange(_ polygons: [[[[Double]]]]) -> Bool {
        polygons.allSatisfy { $0.allSatisfy { $0.allSatisfy { $0.count >= 2 && (-180...180).contains($0[0]) && (-90...90).contains($0[1]) } } }
    }

    @Test func bboxesAcrossTheAntimeridianFindTheChipsAcrossIt() async throws {
        let scene = Fixture.path("antimeridian.tif")
        let world = try await TestWorld.make(tileSize: 64, scenePath: scene, bandRoles: [:])
        let chipSize = 32
        let release = try await Self.release(world, chipSize: chipSize)
        let (transform, width, height) = try Self.grid(scene)
        let rows = (height + chipSize - 1) / chipSize, cols = (width + chipSize - 1) / chipSize
        #expect(release.chipCount == rows * cols, "every chip, padded: \(rows) × \(cols)")

        // Each chip's corners through cs2cs: both signs of longitude, across 180°; else on one side, and how near 180° it comes
        // (UTM grid lines bend monotonically in longitude over 32 km: a chip's nearest point to 180° is a corner).
        var across: Set<String> = [], oneSide: Set<String> = []
        var nearest = Double.infinity
        for row in 0..<rows {
            for col in 0..<cols {
                let window = Window(col: col * chipSize, row: row * chipSize, width: chipSize, height: chipSize)
                let lons = try GDALTools.toLonLat(fromEPSG: 32660, Self.corners(window, transform)).map(\.x)
                let id = Self.chipId(world.sceneA, row: row, col: col)
                if lons.contains(where: { $0 > 0 }) && lons.contains(where: { $0 < 0 }) {
                    across.insert(id)
                } else {
                    oneSide.insert(id)
                    nearest = min(nearest, lons.map { 180 - abs($0) }.min() ?? .infinity)
                }
            }
        }
        try #require(!across.isEmpty && !oneSide.isEmpty, "the test needs chips across 180° and beside it")
        try #require(nearest > 0.002, "chips beside 180° come within \(nearest)° of it")
        let crossing = across

        try await world.test { client in
            // Across ±180° (west > east, RFC 7946 §5.2): the chips crossing it among what it finds.
            let wide = try await Self.search(client, world, release, bbox: "179,64,-179,66")
            #expect(crossing.isSubset(of: Self.ids(wide)), "\(Self.ids(wide)) lacks some of \(crossing)")
            for item in wide where crossing.contains(item["id"] as? String ?? "") {
                let bbox = try #require(item["bbox"] as? [Double])
                #expect(bbox.count == 4 && bbox[0] > bbox[2], "\(item["id"] ?? ""): west > east, \(bbox)")
                let outline = try Self.polygons(item)
                #expect(outline.count == 2 && Self.inRange(outline), "\(item["id"] ?? ""): a MultiPolygon cut at ±180")
            }
            // 0.001° either side of 180°, and touching it from each side: exactly the chips crossing it.
            for bbox in ["179.999,60,-179.999,70", "179.999,60,180,70", "-180,60,-179.999,70"] {
                let found = Self.ids(try await Self.search(client, world, release, bbox: bbox))
                #expect(found == crossing, "bbox \(bbox): \(found.sorted()) vs \(crossing.sorted())")
            }
            for bbox in ["0,60,10,70", "-10,-10,10,10"] {
                #expect(try await Self.search(client, world, release, bbox: bbox).isEmpty, "bbox \(bbox) is on the other side of the world")
            }
        }
    }

    @Test func bboxesRoundThePoleFindTheChipHoldingIt() async throws {
        let folder = try TemporaryDirectory("swath-edge-stac-polar")
        let scene = try PolarScene.make(epsg: 3031, in: folder, name: "south-pole.tif")
        let world = try await TestWorld.make(tileSize: 128, scenePath: scene, bandRoles: [:])
        let chipSize = 128
        let release = try await Self.release(world, chipSize: chipSize)
        let (transform, width, height) = try Self.grid(scene)
        #expect(release.chipCount == ((width + chipSize - 1) / chipSize) * ((height + chipSize - 1) / chipSize))

        // The pole is EPSG:3031's origin (cs2cs); in pixels, by inverting the unrotated geotransform: (200, 200).
        let origin = try GDALTools.toLonLat(fromEPSG: 3031, [Point(x: 0, y: 0)])[0]
        try #require(abs(origin.y + 90) < 1e-9, "EPSG:3031's origin is the South Pole: \(origin)")
        try #require(transform[2] == 0 && transform[4] == 0 && transform[1] == -transform[5])
        let pole = Point(x: (0 - transform[0]) / transform[1], y: (0 - transform[3]) / transform[5])
        let row = Int(pole.y) / chipSize, col = Int(pole.x) / chipSize
        let insideCol = pole.x - Double(col * chipSize), insideRow = pole.y - Double(row * chipSize)
        try #require(insideCol > 0 && insideRow > 0, "the pole lies inside a chip, not on a chip's edge")
        let polar = Self.chipId(world.sceneA, row: row, col: col)
        // Every other chip lies outside the polar chip, so at least as far from the pole as that chip's nearest edge;
        // polar stereographic is the same in every direction from the pole, so that distance along +x is as good as any.
        let gap = min(insideCol, insideRow, Double(chipSize) - insideCol, Double(chipSize) - insideRow) * transform[1]
        let edge = try GDALTools.toLonLat(fromEPSG: 3031, [Point(x: gap, y: 0)])[0]
        try #require(edge.y > -89.9, "the nearest other chip reaches \(edge.y)°")

        try await world.test { client in
            // Round the pole, at a narrow range of longitudes, across ±180°: the polar chip and nothing else.
            for bbox in ["-180,-90,180,-89.9", "100,-90,101,-89.95", "170,-90,-170,-89.95"] {
                let items = try await Self.search(client, world, release, bbox: bbox)
                #expect(Self.ids(items) == [polar], "bbox \(bbox): \(Self.ids(items).sorted())")
                for item in items {
                    let box = try #require(item["bbox"] as? [Double])
                    #expect(box.count == 4 && box[0] == -180 && box[1] == -90 && box[2] == 180, "\(polar): \(box)")
                    let outline = try Self.polygons(item)
                    #expect(outline.count == 1 && Self.inRange(outline), "\(polar): one polygon, in range")
                    #expect(outline.contains { $0.contains { $0.contains { $0[1] == -90 } } }, "\(polar): closed along the pole")
                }
            }
            for bbox in ["0,60,10,70", "-10,-10,10,10"] {
                #expect(try await Self.search(client, world, release, bbox: bbox).isEmpty, "bbox \(bbox) is far from the pole")
            }
        }
        withExtendedLifetime(folder) {}
    }
}
