import Foundation
import Testing
import SwathGeo
import SwathTestSupport

/// `swath tile` on scenes at the edges of the map, read back from the index.geojson it writes. Checked against
/// gdalinfo (the scene's grid), PROJ's cs2cs (the tiles' corners) and hand geometry (where the pole and the
/// 180° meridian lie in the scene's CRS):
/// - a 400 km scene centred on the South Pole (EPSG:3031, 1 km pixels) in 128-pixel tiles: exactly one tile
///   holds the pole, its bbox [-180, -90, 180, n] and its one polygon closed along the pole at -90°; the tiles
///   below it straddle the 180° meridian (in EPSG:3031 the half-line x = 0, y < 0) and are cut there;
/// - the antimeridian fixture (UTM 60N, 179.1° E … 178.7° W) in 25-pixel tiles: the tiles across 180° are
///   MultiPolygons of two parts, one touching +180 and one -180, their bbox west > east; the others are one
///   polygon, west <= east, their bbox the envelope of their corners.
/// Every position of every geometry lies in -180…180, -90…90, every ring is closed and every exterior ring
/// counter-clockwise (RFC 7946 §3.1.6), and every tile's top-left corner is a vertex, as cs2cs puts it, to 1e-7°.
@Suite struct EdgeSceneTileCommandTests {
    /// One feature of index.geojson.
    struct IndexTile {
        var id: String
        var window: Window
        var bbox: [Double]
        var type: String
        /// Each polygon's rings of [lon, lat].
        var polygons: [[[[Double]]]]

        var positions: [[Double]] { polygons.flatMap { $0.flatMap { $0 } } }
    }

    /// index.geojson's features, in its order.
    static func index(_ path: String) throws -> [IndexTile] {
        let object = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path)))
        let collection = try #require(object as? [String: Any])
        #expect(collection["type"] as? String == "FeatureCollection")
        let features = try #require(collection["features"] as? [[String: Any]])
        var tiles: [IndexTile] = []
        for feature in features {
            let properties = try #require(feature["properties"] as? [String: Any])
            let id = try #require(properties["id"] as? String)
            let geometry = try #require(feature["geometry"] as? [String: Any], "tile \(id) of a georeferenced scene has a footprint")
            let type = try #require(geometry["type"] as? String)
            let polygons: [[[[Double]]]]
            if type == "Polygon" {
                polygons = [try #require(geometry["coordinates"] as? [[[Double]]], "tile \(id)")]
            } else {
                #expect(type == "MultiPolygon", "tile \(id): \(type)")
                polygons = try #require(geometry["coordinates"] as? [[[[Double]]]], "tile \(id)")
            }
            let window = Window(col: try #require(properties["x"] as? Int), row: try #require(properties["y"] as? Int),
                                width: try #require(properties["width"] as? Int), height: try #require(properties["height"] as? Int))
            let bbox = try #require(feature["bbox"] as? [Double], "tile \(id) has an RFC 7946 bbox")
            try #require(bbox.count == 4, "tile \(id): \(bbox)")
            tiles.append(IndexTile(id: id, window: window, bbox: bbox, type: type, polygons: polygons))
        }
        return tiles
    }

    /// The scene's grid as gdalinfo reads it: GDAL's geotransform and the size in pixels.
    static func grid(_ path: String) throws -> (transform: [Double], width: Int, height: Int) {
        let info = try GDALTools.info(path)
        let transform = try #require(info["geoTransform"] as? [Double])
        let size = try #require(info["size"] as? [Int])
        try #require(transform.count == 6 && size.count == 2)
        return (transform, size[0], size[1])
    }

    /// A pixel corner in the scene's CRS, by GDAL's affine formula.
    static func ground(_ transform: [Double], col: Int, row: Int) -> Point {
        Point(x: transform[0] + Double(col) * transform[1] + Double(row) * transform[2],
              y: transform[3] + Double(col) * transform[4] + Double(row) * transform[5])
    }

    /// A window's corners in the scene's CRS: top-left, top-right, bottom-left, bottom-right.
    static func corners(_ window: Window, _ transform: [Double]) -> [Point] {
        [(0, 0), (window.width, 0), (0, window.height), (window.width, window.height)].map {
            ground(transform, col: window.col + $0.0, row: window.row + $0.1)
        }
    }

    /// Two longitudes apart, the short way round (180° and -180° are one meridian).
    static func lonDistance(_ a: Double, _ b: Double) -> Double {
        abs((a - b).remainder(dividingBy: 360))
    }

    /// Twice the signed area in lon/lat (shoelace): positive for a counter-clockwise ring.
    static func signedArea(_ ring: [[Double]]) -> Double {
        zip(ring, ring.dropFirst()).reduce(0) { $0 + ($1.0[0] * $1.1[1] - $1.1[0] * $1.0[1]) }
    }

    /// What RFC 7946 asks of every tile's geometry.
    static func checkRFC7946(_ tile: IndexTile) {
        #expect(tile.positions.allSatisfy { $0.count >= 2 && (-180...180).contains($0[0]) && (-90...90).contains($0[1]) },
                "tile \(tile.id): a position outside -180…180, -90…90")
        #expect((-90...90).contains(tile.bbox[1]) && (-90...90).contains(tile.bbox[3]) && tile.bbox[1] <= tile.bbox[3], "tile \(tile.id): \(tile.bbox)")
        #expect((-180...180).contains(tile.bbox[0]) && (-180...180).contains(tile.bbox[2]), "tile \(tile.id): \(tile.bbox)")
        for polygon in tile.polygons {
            for ring in polygon {
                #expect(ring.count >= 4 && ring.first == ring.last, "tile \(tile.id): a ring not closed")
            }
            if let exterior = polygon.first { #expect(signedArea(exterior) > 0, "tile \(tile.id): exterior ring not counter-clockwise") }
        }
    }

    /// `point` (lon, lat) is one of the tile's vertices, to `tolerance` degrees.
    static func hasVertex(_ tile: IndexTile, _ point: Point, within tolerance: Double = 1e-7) -> Bool {
        tile.positions.contains { abs($0[1] - point.y) < tolerance && lonDistance($0[0], point.x) < tolerance }
    }

    /// Longitude `lon` lies in the bbox's span of longitudes (west > east: across the antimeridian).
    static func lonInside(_ lon: Double, _ bbox: [Double], within tolerance: Double = 1e-7) -> Bool {
        bbox[0] <= bbox[2] ? (bbox[0] - tolerance...bbox[2] + tolerance).contains(lon) : (lon >= bbox[0] - tolerance || lon <= bbox[2] + tolerance)
    }

    /// A part of a cut geometry: all its longitudes on one side of the antimeridian and reaching it.
    static func touches(_ polygon: [[[Double]]], meridian: Double) -> Bool {
        let lons = polygon.flatMap { $0.map { $0[0] } }
        guard let west = lons.min(), let east = lons.max() else { return false }
        return meridian > 0 ? (west >= 0 && abs(east - 180) < 1e-9) : (east <= 0 && abs(west + 180) < 1e-9)
    }

    /// The window's columns run strictly either side of `pixel`'s column.
    static func astride(_ window: Window, _ pixel: Point) -> Bool {
        Double(window.col) < pixel.x && pixel.x < Double(window.col + window.width)
    }

    /// The window's rows run strictly either side of `row`.
    static func spans(_ window: Window, row: Double) -> Bool {
        Double(window.row) < row && row < Double(window.row + window.height)
    }

    @Test func aSceneOverTheSouthPoleHasOneTileHoldingThePole() throws {
        let folder = try TemporaryDirectory("swath-edge-tile-polar")
        let scene = try PolarScene.make(epsg: 3031, in: folder, name: "south-pole.tif")
        let out = folder.file("tiles")
        let size = 128
        let result = try swath(["tile", scene, "--size", "\(size)", "--out", out])
        #expect(result.status == 0, "\(result.stderr)")
        let tiles = try Self.index(out + "/index.geojson")
        let (transform, width, height) = try Self.grid(scene)
        // Padded edge tiles: ⌈400 / 128⌉² = 16.
        #expect(tiles.count == ((width + size - 1) / size) * ((height + size - 1) / size), "\(tiles.count) tiles")

        // Where the pole and the 180° meridian lie, by cs2cs: the pole is EPSG:3031's origin; 180° runs from it along
        // x = 0 towards y < 0 (0° along y > 0). In pixels, by inverting the (unrotated) geotransform: the pole at (200, 200).
        let marks = try GDALTools.toLonLat(fromEPSG: 3031, [Point(x: 0, y: 0), Point(x: 0, y: -100_000), Point(x: 0, y: 100_000)])
        try #require(abs(marks[0].y + 90) < 1e-9, "EPSG:3031's origin is the South Pole: \(marks[0])")
        try #require(abs(abs(marks[1].x) - 180) < 1e-9 && abs(marks[2].x) < 1e-9, "180° along x = 0, y < 0: \(marks)")
        try #require(transform[2] == 0 && transform[4] == 0)
        let pole = Point(x: (0 - transform[0]) / transform[1], y: (0 - transform[3]) / transform[5])
        let holdsPole = { (window: Window) -> Bool in Self.astride(window, pole) && Self.spans(window, row: pole.y) }
        // Below the pole (y < 0) and astride x = 0: across the 180° meridian.
        let crosses180 = { (window: Window) -> Bool in Self.astride(window, pole) && Double(window.row) > pole.y }

        let holders = tiles.filter { holdsPole($0.window) }
        #expect(holders.count == 1, "\(holders.map(\.id))")
        #expect(tiles.filter { crosses180($0.window) }.count >= 1, "the test needs tiles across 180°")
        let allCorners = try GDALTools.toLonLat(fromEPSG: 3031, tiles.flatMap { Self.corners($0.window, transform) })
        try #require(allCorners.count == tiles.count * 4)
        for (index, tile) in tiles.enumerated() {
            Self.checkRFC7946(tile)
            let corners = Array(allCorners[(index * 4)..<(index * 4 + 4)])
            // Its top-left corner (and every other) is a vertex, where cs2cs puts it.
            for (position, corner) in corners.enumerated() {
                #expect(Self.hasVertex(tile, corner), "tile \(tile.id): corner \(position) \(corner) is not a vertex")
            }
            if holdsPole(tile.window) {
                #expect(tile.bbox[0] == -180 && tile.bbox[2] == 180 && tile.bbox[1] == -90, "tile \(tile.id): \(tile.bbox)")
                // Its northern edge: the corner farthest from the pole (the farthest point of a square from a point inside it).
                let north = try #require(corners.map(\.y).max())
                #expect(abs(tile.bbox[3] - north) < 1e-7, "tile \(tile.id): north \(tile.bbox[3]), cs2cs \(north)")
                #expect(tile.type == "Polygon" && tile.polygons.count == 1, "one polygon, no seam: \(tile.type)")
                #expect(tile.positions.contains { $0[1] == -90 }, "tile \(tile.id) is closed along the pole")
                let lons = tile.positions.map { $0[0] }
                #expect(lons.min() == -180 && lons.max() == 180, "tile \(tile.id) runs from -180° to 180°")
            } else {
                #expect(!tile.positions.contains { $0[1] == -90 }, "tile \(tile.id) does not hold the pole")
                #expect(tile.bbox[1] > -90)
                if crosses180(tile.window) {
                    #expect(tile.bbox[0] > tile.bbox[2], "tile \(tile.id) crosses 180°: west > east, \(tile.bbox)")
                    #expect(tile.type == "MultiPolygon" && tile.polygons.count == 2, "tile \(tile.id): \(tile.type) of \(tile.polygons.count)")
                    #expect(tile.polygons.contains { Self.touches($0, meridian: 180) } && tile.polygons.contains { Self.touches($0, meridian: -180) },
                            "tile \(tile.id): one part each side of 180°")
                } else {
                    #expect(tile.bbox[0] <= tile.bbox[2], "tile \(tile.id): \(tile.bbox)")
                    #expect(tile.type == "Polygon" && tile.polygons.count == 1, "tile \(tile.id): \(tile.type)")
                }
                for corner in corners {
                    #expect(Self.lonInside(corner.x, tile.bbox) && tile.bbox[1] - 1e-7 <= corner.y && corner.y <= tile.bbox[3] + 1e-7,
                            "tile \(tile.id): corner \(corner) outside its bbox \(tile.bbox)")
                }
            }
        }
        withExtendedLifetime(folder) {}
    }

    @Test func tilesAcrossTheAntimeridianAreCutThere() throws {
        let scene = Fixture.path("antimeridian.tif")
        let out = try TemporaryDirectory("swath-edge-tile-am")
        let size = 25
        let result = try swath(["tile", scene, "--size", "\(size)", "--out", out.path])
        #expect(result.status == 0, "\(result.stderr)")
        let tiles = try Self.index(out.file("index.geojson"))
        let (transform, width, height) = try Self.grid(scene)
        #expect(tiles.count == ((width + size - 1) / size) * ((height + size - 1) / size), "\(tiles.count) tiles")

        // Each tile's corners through cs2cs: all east of 180° (positive), all west of it (negative), or both: across it.
        let allCorners = try GDALTools.toLonLat(fromEPSG: 32660, tiles.flatMap { Self.corners($0.window, transform) })
        try #require(allCorners.count == tiles.count * 4)
        var seen: [String: Int] = [:]
        for (index, tile) in tiles.enumerated() {
            Self.checkRFC7946(tile)
            let corners = Array(allCorners[(index * 4)..<(index * 4 + 4)])
            #expect(Self.hasVertex(tile, corners[0]), "tile \(tile.id): top-left corner \(corners[0]) is not a vertex")
            let lats = corners.map(\.y)
            let south = try #require(lats.min()), north = try #require(lats.max())
            // UTM grid lines bend monotonically in lon and lat over 25 km: the bbox is the corners' envelope.
            #expect(abs(tile.bbox[1] - south) < 1e-7 && abs(tile.bbox[3] - north) < 1e-7, "tile \(tile.id): \(tile.bbox) vs cs2cs \(south)…\(north)")
            let eastern = corners.map(\.x).filter { $0 > 0 }, western = corners.map(\.x).filter { $0 < 0 }
            if !eastern.isEmpty, !western.isEmpty {
                seen["across", default: 0] += 1
                #expect(tile.bbox[0] > tile.bbox[2], "tile \(tile.id) crosses 180°: west > east, \(tile.bbox)")
                let west = try #require(eastern.min()), east = try #require(western.max())
                #expect(abs(tile.bbox[0] - west) < 1e-7 && abs(tile.bbox[2] - east) < 1e-7, "tile \(tile.id): \(tile.bbox) vs cs2cs \(west) … \(east)")
                #expect(tile.type == "MultiPolygon" && tile.polygons.count == 2, "tile \(tile.id): \(tile.type) of \(tile.polygons.count)")
                #expect(tile.polygons.contains { Self.touches($0, meridian: 180) } && tile.polygons.contains { Self.touches($0, meridian: -180) },
                        "tile \(tile.id): one part touching +180, one touching -180")
            } else {
                seen[eastern.isEmpty ? "west" : "east", default: 0] += 1
                #expect(tile.bbox[0] <= tile.bbox[2], "tile \(tile.id): \(tile.bbox)")
                let lons = corners.map(\.x)
                let west = try #require(lons.min()), east = try #require(lons.max())
                #expect(abs(tile.bbox[0] - west) < 1e-7 && abs(tile.bbox[2] - east) < 1e-7, "tile \(tile.id): \(tile.bbox) vs cs2cs \(west) … \(east)")
                #expect(tile.type == "Polygon" && tile.polygons.count == 1, "tile \(tile.id): \(tile.type)")
                #expect(tile.positions.allSatisfy { eastern.isEmpty ? $0[0] < 0 : $0[0] > 0 }, "tile \(tile.id) stays on its side of 180°")
            }
        }
        #expect(seen["across", default: 0] >= 1 && seen["east", default: 0] >= 1 && seen["west", default: 0] >= 1,
                "the test needs tiles across 180° and on both sides: \(seen)")
    }
}
