import Foundation
import HummingbirdTesting
import Testing
import SwathGeo
import SwathLabels
import SwathTestSupport

/// The scene's own pixel grid (the workbench's native view): tiles compared pixel by pixel with what
/// `gdal_translate -srcwin … -outsize … -r nearest` makes of the same window, past the edge 204, bad zooms refused;
/// the TileJSON says where the grid is and whether a web map can show the scene (not a polar one, and why).
@Suite struct GridTileRouteTests {
    /// 300 × 200 pixels, one band, value (col + 2·row) mod 256 — so min 0 and max 255 and `minmax` is the identity.
    static func gradientScene(in folder: TemporaryDirectory) throws -> String {
        let values = (0..<200).flatMap { row in (0..<300).map { col in UInt8((col + 2 * row) % 256) } }
        return try TestGeoTIFF.write(folder.file("gradient.tif"), size: Size(width: 300, height: 200),
                                     transform: GeoTransform(originX: 500_000, pixelWidth: 10, originY: 4_200_000, pixelHeight: -10), epsg: 32633, values: values)
    }

    /// The grey channel and alpha of a tile PNG, decoded by GDAL.
    static func decode(_ png: [UInt8], in folder: TemporaryDirectory) throws -> (grey: [UInt8], alpha: [UInt8]) {
        let path = folder.file("tile-\(UUID().uuidString).png")
        try Data(png).write(to: URL(fileURLWithPath: path))
        let raster = try Raster.open(path)
        #expect(raster.width == 256 && raster.height == 256 && raster.bandCount == 4)
        let rgba = try raster.read(raster.bounds, as: UInt8.self)
        return (Array(rgba[0..<65536]), Array(rgba[3 * 65536..<4 * 65536]))
    }

    @Test(arguments: [(0, 1, 0), (-1, 0, 0), (3, 2, 1)])
    func tilesAreTheSceneAsGDALResamplesIt(z: Int, x: Int, y: Int) async throws {
        let folder = try TemporaryDirectory("swath-grid-tiles")
        let scene = try Self.gradientScene(in: folder)
        let world = try await TestWorld.make(tileSize: 128, scenePath: scene, bandRoles: [:])
        try await world.test { client in
            let reply = try await client.fetch("/api/v1/scenes/\(world.sceneA)/grid/\(z)/\(x)/\(y).png?stretch=minmax", token: world.annotator)
            #expect(reply.status == .ok && reply.headers[.contentType] == "image/png")
            let (grey, alpha) = try Self.decode(reply.bytes, in: folder)
            // The window under the tile, clipped to the scene, and the tile pixels it fills.
            let span = z <= 0 ? 256 << -z : 256 >> z
            let window = Window(col: x * span, row: y * span, width: min(span, 300 - x * span), height: min(span, 200 - y * span))
            let filled = Size(width: Int((Double(window.width) * 256 / Double(span)).rounded(.up)),
                              height: Int((Double(window.height) * 256 / Double(span)).rounded(.up)))
            let reference = folder.file("reference-\(z).tif")
            let made = try Shell.run("gdal_translate", ["-q", "-srcwin", "\(window.col)", "\(window.row)", "\(window.width)", "\(window.height)",
                                                        "-outsize", "\(filled.width)", "\(filled.height)", "-r", "nearest", scene, reference])
            #expect(made.status == 0, "\(made.stderr)")
            let expected = try Raster.open(reference).read(Window(col: 0, row: 0, width: filled.width, height: filled.height), as: UInt8.self)
            var mismatches = 0
            for row in 0..<256 {
                for col in 0..<256 {
                    let inside = row < filled.height && col < filled.width
                    #expect(alpha[row * 256 + col] == (inside ? 255 : 0))
                    if inside, grey[row * 256 + col] != expected[row * filled.width + col] { mismatches += 1 }
                }
            }
            #expect(mismatches == 0, "z \(z): \(mismatches) pixels differ from gdal_translate")
        }
    }

    @Test func pastTheEdgeIsEmptyAndBadZoomsAreRefused() async throws {
        let folder = try TemporaryDirectory("swath-grid-tiles")
        let world = try await TestWorld.make(tileSize: 128, scenePath: try Self.gradientScene(in: folder), bandRoles: [:])
        try await world.test { client in
            for tile in ["0/2/0.png", "0/0/1.png", "-1/1/0.png", "3/999999/0.png"] {
                let reply = try await client.fetch("/api/v1/scenes/\(world.sceneA)/grid/\(tile)", token: world.annotator)
                #expect(reply.status == .noContent, "\(tile)")
            }
            // 300 pixels: one 512-pixel tile at zoom −1 holds it all, so −2 is below the grid.
            for (tile, words) in [("-2/0/0.png", "zoom -2 is outside -1…3"), ("4/0/0.png", "zoom 4 is outside"), ("0/-1/0.png", "whole numbers"),
                                  ("0/0/0.jpg", "must end in {y}.png"), ("--1/0/0.png", "whole number"), ("0/0/1e3.png", "whole numbers")] {
                let reply = try await client.call(.get, "/api/v1/scenes/\(world.sceneA)/grid/\(tile)", token: world.annotator)
                #expect(reply.status == .badRequest && reply.reason.contains(words), "\(tile): \(reply.reason)")
            }
            let stranger = try await client.call(.get, "/api/v1/scenes/\(world.sceneA)/grid/0/0/0.png", token: world.outsider)
            #expect(stranger.status == .notFound)
            let nobody = try await client.call(.get, "/api/v1/scenes/\(world.sceneA)/grid/0/0/0.png")
            #expect(nobody.status == .unauthorized)
        }
    }

    @Test func theTileJSONSaysWhenAWebMapCannotShowTheScene() async throws {
        let folder = try TemporaryDirectory("swath-grid-tiles")
        let polar = try await TestWorld.make(tileSize: 128, scenePath: try PolarScene.make(epsg: 3413, in: folder), bandRoles: [:])
        try await polar.test { client in
            let reply = try await client.call(.get, "/api/v1/scenes/\(polar.sceneA)/tilejson", token: polar.annotator)
            #expect(reply.status == .ok, "\(reply.text)")
            let view = try #require(reply.object["mapView"] as? [String: Any])
            #expect(view["fits"] as? Bool == false)
            #expect((view["reason"] as? String)?.contains("90.00° N, beyond the 85.05°") == true, "\(view)")
            let grid = try #require(reply.object["grid"] as? [String: Any])
            #expect(grid["width"] as? Int == 400 && grid["height"] as? Int == 400 && grid["minzoom"] as? Int == -1 && grid["maxzoom"] as? Int == 3)
            #expect(grid["tiles"] as? [String] == ["/api/v1/scenes/\(polar.sceneA)/grid/{z}/{x}/{y}.png"])
            #expect(reply.object["bounds"] as? [Double] == [-180, try #require((reply.object["bounds"] as? [Double])?[1]), 180, 90])
            // Its grid is there to see.
            let tile = try await client.fetch("/api/v1/scenes/\(polar.sceneA)/grid/-1/0/0.png", token: polar.annotator)
            #expect(tile.status == .ok && tile.headers[.contentType] == "image/png", "\(tile.status)")
        }
        let across = try await TestWorld.make(tileSize: 64, scenePath: Fixture.path("antimeridian.tif"), bandRoles: [:])
        try await across.test { client in
            let reply = try await client.call(.get, "/api/v1/scenes/\(across.sceneA)/tilejson", token: across.annotator)
            let view = try #require(reply.object["mapView"] as? [String: Any])
            #expect(view["fits"] as? Bool == false && (view["reason"] as? String)?.contains("crosses the antimeridian") == true, "\(view)")
            // The centre lies on the scene (cs2cs of its middle), not on the other side of the world at 0°.
            let centre = try #require(reply.object["center"] as? [Double])
            let middle = try GDALTools.toLonLat(fromEPSG: 32660, [Point(x: 650_000, y: 7_225_000)])[0]
            #expect(abs(centre[0] - middle.x) < 0.3, "\(centre) vs \(middle)")
        }
    }
}
