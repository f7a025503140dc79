import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
import Synchronization
import SwathGeo
import SwathJobs
import SwathLabels
import SwathTestSupport

/// The map tile routes: role checks, caching headers, bad input, and a scene
/// whose file disappeared after ingest.
@Suite struct MapTileRouteTests {
    /// The z15 tile over the fixture's centre (by the slippy-map formula on
    /// the centre cs2cs gives) and one a degree east of it.
    static func tiles() throws -> (inside: String, outside: String) {
        let raster = try Raster.open(Fixture.path("utm_multiband.tif"))
        let centre = raster.geoTransform!.apply(col: Double(raster.width) / 2, row: Double(raster.height) / 2)
        let lonLat = try GDALTools.toLonLat(fromEPSG: raster.crs!.epsg!, [centre])[0]
        func tile(_ lon: Double, _ lat: Double) -> String {
            let n = 32768.0
            let x = Int(floor((lon + 180) / 360 * n))
            let y = Int(floor((1 - asinh(tan(lat * .pi / 180)) / .pi) / 2 * n))
            return "15/\(x)/\(y).png"
        }
        return (tile(lonLat.x, lonLat.y), tile(lonLat.x + 1, lonLat.y))
    }

    @Test func membersGetPNGTilesWithCachingHeaders() async throws {
        let world = try await TestWorld.make(bandRoles: ["blue": 1, "green": 2, "red": 3, "nir": 4])
        let (inside, outside) = try Self.tiles()
        try await world.test { client in
            let path = "/api/v1/scenes/\(world.sceneA)/tiles/\(inside)"
            for token in [world.annotator, world.reviewer, world.manager, world.trainer, world.admin] {
                let reply = try await client.fetch(path, token: token)
                #expect(reply.status == .ok)
                #expect(reply.headers[.contentType] == "image/png")
                #expect(reply.bytes.starts(with: [0x89, 0x50, 0x4E, 0x47]), "a PNG signature")
                #expect(reply.headers[.cacheControl] == "private, max-age=3600")
            }
            let first = try await client.fetch(path, token: world.annotator)
            let etag = try #require(first.headers[.eTag])
            let again = try await client.fetch(path, token: world.annotator, headers: [.ifNoneMatch: etag])
            #expect(again.status == .notModified && again.bytes.isEmpty)
            let otherBands = try await client.fetch(path + "?bands=4", token: world.annotator)
            #expect(otherBands.status == .ok && otherBands.headers[.eTag] != etag)
            // A preset and the band numbers it stands for are the same tile.
            let preset = try await client.fetch(path + "?bands=false-color", token: world.annotator)
            let numbers = try await client.fetch(path + "?bands=4,3,2&stretch=p2-98", token: world.annotator)
            #expect(preset.status == .ok && preset.headers[.eTag] == numbers.headers[.eTag] && preset.bytes == numbers.bytes)
            let status1 = try await client.call(.get, "/api/v1/scenes/\(world.sceneA)/tiles/\(outside)", token: world.annotator).status
            #expect(status1 == .noContent)
        }
    }

    @Test func outsidersAndStrangersGetNothing() async throws {
        let world = try await TestWorld.make()
        let (inside, _) = try Self.tiles()
        try await world.test { client in
            let path = "/api/v1/scenes/\(world.sceneA)/tiles/\(inside)"
            let status2 = try await client.call(.get, path, token: nil).status
            #expect(status2 == .unauthorized)
            let status3 = try await client.call(.get, path, token: "not-a-token").status
            #expect(status3 == .unauthorized)
            let status4 = try await client.call(.get, path, token: world.outsider).status
            #expect(status4 == .notFound)
            let status5 = try await client.call(.get, "/api/v1/scenes/\(world.sceneA)/tilejson", token: world.outsider).status
            #expect(status5 == .notFound)
            let status6 = try await client.call(.get, "/api/v1/scenes/9999/tiles/\(inside)", token: world.admin).status
            #expect(status6 == .notFound)
        }
    }

    @Test func badRequestsSayWhy() async throws {
        let world = try await TestWorld.make()
        let (inside, _) = try Self.tiles()
        try await world.test { client in
            let base = "/api/v1/scenes/\(world.sceneA)/tiles/"
            let cases: [(String, String)] = [
                ("25/0/0.png", "zoom 25"), ("3/8/0.png", "does not exist at zoom 3"), ("3/x/0.png", "whole numbers"),
                ("3/1/3.jpg", "must end in {y}.png"), (inside + "?bands=9,3,2", "band 9 does not exist"),
                (inside + "?bands=swir", "swir2"), (inside + "?bands=4,3", "one or three band numbers"),
                (inside + "?stretch=p98-2", "stretch must be"), (inside + "?stretch=loud", "stretch must be"),
            ]
            for (suffix, words) in cases {
                let reply = try await client.call(.get, base + suffix, token: world.annotator)
                #expect(reply.status == .badRequest, "\(suffix)")
                #expect(reply.reason.contains(words), "\(suffix): \(reply.reason)")
            }
        }
    }

    @Test func tileJSONDescribesTheScene() async throws {
        let world = try await TestWorld.make(bandRoles: ["blue": 1, "green": 2, "red": 3, "nir": 4])
        try await world.test { client in
            let reply = try await client.call(.get, "/api/v1/scenes/\(world.sceneA)/tilejson", token: world.annotator)
            #expect(reply.status == .ok)
            #expect(reply.object["tilejson"] as? String == "3.0.0")
            #expect(reply.object["tiles"] as? [String] == ["/api/v1/scenes/\(world.sceneA)/tiles/{z}/{x}/{y}.png"])
            #expect(reply.object["presets"] as? [String] == ["true-color", "false-color"])
            // 10 m pixels at 38.8° N are 12.8 m of Web Mercator: z14 (9.55 m) is the first zoom that fine.
            #expect(reply.object["nativeZoom"] as? Int == 14)
            let scene = try await client.call(.get, "/api/v1/scenes/\(world.sceneA)", token: world.annotator)
            #expect(reply.object["bounds"] as? [Double] == scene.object["bboxWGS84"] as? [Double])
        }
    }

    /// A large scene registered over HTTP gets its overviews built as a job,
    /// in the server's overview directory, not beside the scene.
    @Test func scenesRegisteredOverHTTPGetOverviews() async throws {
        let world = try await TestWorld.make()
        let big = world.directory.file("big.tif")
        let made = try Shell.run("gdal_translate", ["-q", "-outsize", "2100", "1500", "-co", "TILED=YES",
                                                    Fixture.path("utm_multiband.tif"), big])
        #expect(made.status == 0, "\(made.stderr)")
        try await world.test { client in
            let reply = try await client.call(.post, "/api/v1/projects/\(world.projectA)/scenes", token: world.manager,
                                              json: ["uri": big, "tileSize": 512])
            #expect(reply.status == .created, "\(reply.text)")
            let overviews = world.directory.url.appendingPathComponent("overviews")
            let sceneId = try #require(reply.object["id"] as? Int)
            var runner = JobRunner(service: world.service, exportRoot: world.directory.file("exports"), worker: "test-runner")
            runner.overviewLocation = overviews.path
            #expect(try await runner.runOnce(), "registering the scene queued its overview build")
            let job = try #require(try await world.service.job(id: 1))
            #expect(job.kind == .overviews && job.status == .succeeded && job.parameters == "{\"sceneId\":\(sceneId)}")
            // The finished VRT only: the build writes hidden ".….part.vrt" files first and renames them.
            let built = ((try? FileManager.default.contentsOfDirectory(atPath: overviews.path)) ?? [])
                .filter { $0.hasSuffix(".vrt") && !$0.hasPrefix(".") }
            #expect(built.count == 1, "an overview VRT appeared: \(built)")
            #expect(!FileManager.default.fileExists(atPath: big + ".ovr"), "nothing written beside the scene")
            let info = try GDALTools.info(overviews.appendingPathComponent(built.first ?? "none").path)
            let levels = ((info["bands"] as? [[String: Any]])?.first?["overviews"] as? [[String: Any]]) ?? []
            #expect(levels.count == 4)
        }
    }

    /// The file goes missing after ingest: 410 naming the scene (not its
    /// path), and the other scene keeps being served.
    @Test func missingImageryIsGoneAndOthersStillServe() async throws {
        let directory = try TemporaryDirectory()
        let copy = directory.file("scene.tif")
        try FileManager.default.copyItem(atPath: Fixture.path("utm_multiband.tif"), toPath: copy)
        let world = try await TestWorld.make(scenePath: copy)
        let (inside, _) = try Self.tiles()
        try FileManager.default.removeItem(atPath: copy)
        try await world.test { client in
            let gone = try await client.call(.get, "/api/v1/scenes/\(world.sceneA)/tiles/\(inside)", token: world.annotator)
            #expect(gone.status == .gone)
            #expect(gone.reason.contains("scene \(world.sceneA)") && gone.reason.contains("missing"))
            #expect(!gone.text.contains(copy) && !gone.text.contains("scene.tif"))
            let other = try await client.call(.get, "/api/v1/scenes/\(world.sceneB)/tilejson", token: world.outsider)
            #expect(other.status == .ok)
            let bounds = other.object["bounds"] as! [Double]
            let n = Double(1 << 12)
            let x = Int(floor(((bounds[0] + bounds[2]) / 2 + 180) / 360 * n))
            let latitude = (bounds[1] + bounds[3]) / 2 * .pi / 180
            let y = Int(floor((1 - asinh(tan(latitude)) / .pi) / 2 * n))
            let served = try await client.fetch("/api/v1/scenes/\(world.sceneB)/tiles/12/\(x)/\(y).png", token: world.outsider)
            #expect(served.status == .ok && served.headers[.contentType] == "image/png")
        }
    }

    /// More distinct tiles at once than the render queue holds: the surplus
    /// is turned away with 503 and Retry-After instead of waiting in an
    /// unbounded queue, and the server answers normally afterwards.
    @Test func aFloodBeyondTheRenderQueueGets503WithRetryAfter() async throws {
        let world = try await TestWorld.make()
        let (inside, _) = try Self.tiles()
        try await world.test(options: world.options { $0.tileRenderQueueLimit = 1 }) { client in
            let path = "/api/v1/scenes/\(world.sceneA)/tiles/\(inside)"
            // Distinct stretches: none is a cache hit, each needs its own render.
            let replies = try await withThrowingTaskGroup(of: RawReply.self) { group in
                for low in 0..<24 {
                    group.addTask { try await client.fetch(path + "?stretch=p\(low)-99", token: world.annotator) }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            let busy = replies.filter { $0.status == .serviceUnavailable }
            #expect(!busy.isEmpty, "some of 24 renders at once are refused with a queue of 1")
            #expect(replies.allSatisfy { $0.status == .ok || $0.status == .serviceUnavailable }, "\(replies.map(\.status))")
            for reply in busy {
                #expect(reply.headers[.retryAfter] == "1")
                let body = try JSONSerialization.jsonObject(with: Data(reply.bytes)) as? [String: Any]
                #expect(body?["error"] as? String == "busy")
            }
            #expect(try await client.fetch(path + "?stretch=p30-99", token: world.annotator).status == .ok)
        }
    }

    /// Spellings of one stretch are one tile: one ETag, one rendering.
    @Test func stretchSpellingsShareOneETag() async throws {
        let world = try await TestWorld.make()
        let (inside, _) = try Self.tiles()
        try await world.test { client in
            let path = "/api/v1/scenes/\(world.sceneA)/tiles/\(inside)"
            let standard = try await client.fetch(path + "?stretch=p2-98", token: world.annotator)
            let etag = try #require(standard.headers[.eTag])
            for spelling in ["p2.0-98.00", "p02-98", "p2.-098.0", ""] {
                let reply = try await client.fetch(path + "?stretch=\(spelling)", token: world.annotator)
                #expect(reply.status == .ok && reply.headers[.eTag] == etag && reply.bytes == standard.bytes, "\(spelling)")
            }
            let revalidated = try await client.fetch(path + "?stretch=p2.00-98", token: world.annotator, headers: [.ifNoneMatch: etag])
            #expect(revalidated.status == .notModified)
            let other = try await client.fetch(path + "?stretch=p2.1-98", token: world.annotator)
            #expect(other.status == .ok && other.headers[.eTag] != etag)
        }
    }

    /// The ETag is an HMAC under the server's secret of what the tile is
    /// drawn from: the same for the scene served from another path, another
    /// under another secret, and never derived from the path.
    @Test func etagsAreKeyedBySecretNotByPath() async throws {
        let folder = try TemporaryDirectory()
        let first = folder.file("Acme-Defense-2024.tif"), moved = folder.file("elsewhere.tif")
        try FileManager.default.copyItem(atPath: Fixture.path("utm_multiband.tif"), toPath: first)
        try FileManager.default.copyItem(atPath: Fixture.path("utm_multiband.tif"), toPath: moved)
        let (inside, _) = try Self.tiles()
        let secret = [UInt8](repeating: 7, count: 32)
        func etag(scenePath: String, secret: [UInt8]) async throws -> String {
            let world = try await TestWorld.make(scenePath: scenePath)
            let found = Mutex<String?>(nil)
            try await world.test(options: world.options { $0.tileETagSecret = secret }) { client in
                let reply = try await client.fetch("/api/v1/scenes/\(world.sceneA)/tiles/\(inside)", token: world.annotator)
                #expect(reply.status == .ok)
                found.withLock { $0 = reply.headers[.eTag] }
            }
            return try #require(found.withLock { $0 })
        }
        let original = try await etag(scenePath: first, secret: secret)
        #expect(try await etag(scenePath: moved, secret: secret) == original, "the file moved, the tile did not")
        #expect(try await etag(scenePath: first, secret: [UInt8](repeating: 8, count: 32)) != original)
        #expect(original.count == 34, "128 bits of HMAC in hex, quoted: \(original)")
    }
}

struct RawReply {
    var status: HTTPResponse.Status
    var headers: HTTPFields
    var bytes: [UInt8]
}

extension TestClientProtocol {
    /// A GET with the raw body and headers (tiles are binary).
    func fetch(_ path: String, token: String?, headers extra: HTTPFields = [:]) async throws -> RawReply {
        var headers = extra
        if let token { headers[.authorization] = "Bearer \(token)" }
        return try await execute(uri: path, method: .get, headers: headers, body: nil) { response in
            RawReply(status: response.status, headers: response.headers, bytes: Array(buffer: response.body))
        }
    }
}
