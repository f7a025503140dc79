import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing
import SwathExport
import SwathGeo
import SwathJobs
import SwathLabels
import SwathTestSupport
import SwathWildfire

/// Exports asked for over HTTP become jobs; a runner works them; requesters follow them by id.
@Suite struct ExportJobRouteTests {
    /// Roles first, then the options (exact numbers, known formats), then a 202 with where to follow it;
    /// a runner does the export, equal to one run of the exporter with the same options.
    @Test func exportsAreQueuedCheckedRunAndFollowed() async throws {
        let world = try await TestWorld.make()
        try await world.acceptEverything()
        let exports = world.directory.url.appendingPathComponent("exports").path
        let runner = JobRunner(service: world.service, exportRoot: exports, worker: "test-runner")
        try await world.test { client in
            let path = "/api/v1/projects/\(world.projectA)/exports"
            #expect(try await client.call(.post, path, token: world.annotator, json: ["chipSize": 100]).status == .forbidden)
            #expect(try await client.call(.post, path, token: world.outsider, json: ["chipSize": 100]).status == .notFound)
            #expect(try await client.call(.post, path, json: ["chipSize": 100]).status == .unauthorized)
            let refused: [([String: Any], String)] = [
                (["chipSize": 10], "chip-size"), (["chipSize": 256.5], "chipSize: expected a whole number"), (["bands": "3,2,1"], "bands: expected a list"), (["formats": ["wildfire"]], "wildfire"),
                (["formats": ["tiff"]], "'tiff'"), (["statuses": ["done"]], "'done'"), (["split": "blocks=0"], "blocks"),
            ]
            for (body, named) in refused {
                let reply = try await client.call(.post, path, token: world.trainer, json: body)
                #expect(reply.status == .badRequest && "\(reply.object["reason"] ?? "")".contains(named), "\(body): \(reply.object)")
            }
            let open = try await client.call(.post, path, token: world.trainer, json: ["statuses": ["open", "accepted"]])
            #expect(open.status == .forbidden, "trainers export accepted labels only")

            let queued = try await client.call(.post, path, token: world.trainer, json: ["chipSize": 100, "formats": ["geojson", "stac"]])
            #expect(queued.status == .accepted)
            let id = try #require(queued.object["id"] as? Int)
            #expect(queued.headers[.location] == "/api/v1/exports/\(id)")
            #expect(queued.object["status"] as? String == "queued" && queued.object["location"] == nil)
            #expect(try await client.call(.get, "/api/v1/exports/\(id)", token: world.outsider).status == .notFound)
            #expect(try await client.call(.get, "/api/v1/exports/\(id)", token: world.annotator).status == .forbidden)
            #expect(try await client.call(.get, "/api/v1/exports/\(id + 1000)", token: world.manager).status == .notFound)

            #expect(try await runner.runOnce())
            let asTrainer = try await client.call(.get, "/api/v1/exports/\(id)", token: world.trainer)
            #expect(asTrainer.status == .ok && asTrainer.object["status"] as? String == "succeeded")
            #expect(asTrainer.object["location"] == nil, "where the output is is for managers")
            let progress = try #require(asTrainer.object["progress"] as? [String: Int])
            let asManager = try await client.call(.get, "/api/v1/exports/\(id)", token: world.manager)
            let location = try #require(asManager.object["location"] as? String)
            #expect(location == exports + "/project-\(world.projectA)/export-\(id)")

            // The same options through the exporter directly: the same chips and manifest.
            var options = try ExportRequest.decoded(#"{"chipSize": 100, "formats": ["geojson", "stac"]}"#).options()
            options.threads = 1
            let direct = world.directory.url.appendingPathComponent("direct")
            let trainer = try await world.service.authenticate(token: world.trainer)
            let report = try await Exporter(service: world.service, projectId: world.projectA, outDir: direct, options: options).run(by: trainer)
            #expect(progress["done"] == report.chipsWritten && progress["total"] == report.chipsWritten && report.chipsWritten > 0)
            let manifest = try Data(contentsOf: URL(fileURLWithPath: location).appendingPathComponent("manifest.jsonl"))
            #expect(manifest == (try Data(contentsOf: direct.appendingPathComponent("manifest.jsonl"))))
        }
    }

    /// An export that fails is retried later; managers read why (paths and all), trainers only that it failed.
    @Test func aFailureIsRetriedAndExplainedToManagersOnly() async throws {
        let world = try await TestWorld.make()
        try await world.acceptEverything()
        let blocker = world.directory.file("not-a-folder")
        try Data("a file where the export folder would go".utf8).write(to: URL(fileURLWithPath: blocker))
        let runner = JobRunner(service: world.service, exportRoot: blocker, worker: "test-runner")
        try await world.test { client in
            let queued = try await client.call(.post, "/api/v1/projects/\(world.projectA)/exports", token: world.trainer, json: ["chipSize": 100])
            let id = try #require(queued.object["id"] as? Int)
            #expect(try await runner.runOnce())
            let asManager = try await client.call(.get, "/api/v1/exports/\(id)", token: world.manager)
            #expect(asManager.object["status"] as? String == "queued" && asManager.object["attempts"] as? Int == 1)
            let reason = try #require(asManager.object["error"] as? String)
            #expect(reason.contains(blocker) && reason.contains("cannot create the export folder: \(blocker) is a file, not a folder"), "\(reason)")
            let asTrainer = try await client.call(.get, "/api/v1/exports/\(id)", token: world.trainer)
            #expect(asTrainer.object["error"] as? String == "the job failed; a manager of the project can see why")
            #expect(!"\(asTrainer.object)".contains(blocker))
            #expect(try await !runner.runOnce(), "not again before its wait")

            // Four waiting (the failed one among them) is all a project may have: the fifth is told to come back.
            for _ in 0..<3 {
                #expect(try await client.call(.post, "/api/v1/projects/\(world.projectA)/exports", token: world.trainer, json: [:]).status == .accepted)
            }
            let full = try await client.call(.post, "/api/v1/projects/\(world.projectA)/exports", token: world.trainer, json: [:])
            #expect(full.status == .tooManyRequests && full.headers[.retryAfter] == "30", "\(full.status) \(full.object)")
            #expect(full.reason.contains("already has 4 exports waiting or running"))
        }
    }
}

extension ExportRequest {
    static func decoded(_ json: String) throws -> ExportRequest {
        try JSONDecoder().decode(ExportRequest.self, from: Data(json.utf8))
    }
}

/// A scene's wildfire stacks asked for over HTTP: a job like an export; a DEM only from managers.
@Suite struct WildfireJobRouteTests {
    @Test func wildfireStacksAreQueuedRunAndEqualTheExtractorsOwn() async throws {
        let world = try await TestWorld.make()
        let exports = world.directory.url.appendingPathComponent("exports").path
        let runner = JobRunner(service: world.service, exportRoot: exports, worker: "test-runner")
        try await world.test { client in
            let path = "/api/v1/scenes/\(world.sceneA)/wildfire"
            #expect(try await client.call(.post, path, token: world.annotator, json: [:]).status == .forbidden)
            #expect(try await client.call(.post, path, token: world.outsider, json: [:]).status == .notFound)
            for (body, named) in [(["chipSize": 8], "chipSize"), (["chipSize": 64.5], "chipSize: expected a whole number"),
                                  (["preSceneId": world.sceneB], "not a scene of this project"), (["features": []], "features"),
                                  (["features": ["ndvi"]], "unknown feature 'ndvi'"), (["features": ["slope_deg"]], "need a DEM")] as [([String: Any], String)] {
                let reply = try await client.call(.post, path, token: world.manager, json: body)
                #expect(reply.status == .badRequest && reply.reason.contains(named), "\(body): \(reply.object)")
            }
            #expect(try await client.call(.post, path, token: world.trainer, json: ["statuses": ["open"]]).status == .forbidden)

            let queued = try await client.call(.post, path, token: world.trainer, json: ["chipSize": 64, "features": ["ndvi_post"]])
            #expect(queued.status == .accepted && queued.object["kind"] as? String == "wildfire")
            let id = try #require(queued.object["id"] as? Int)
            #expect(queued.headers[.location] == "/api/v1/wildfire/\(id)")
            #expect(try await client.call(.get, "/api/v1/exports/\(id)", token: world.manager).status == .notFound, "not an export")
            #expect(try await runner.runOnce())
            let done = try await client.call(.get, "/api/v1/wildfire/\(id)", token: world.manager)
            #expect(done.object["status"] as? String == "succeeded", "\(done.object)")
            let location = try #require(done.object["location"] as? String)
            #expect(location == exports + "/project-\(world.projectA)/wildfire-\(id)")
            #expect(try await client.call(.get, "/api/v1/wildfire/\(id)", token: world.trainer).object["location"] == nil)

            // The extractor run directly on the same scene: the same chips, byte for byte.
            let source = try await world.service.exportSource(projectId: world.projectA, statuses: [.accepted], by: .commandLine)
            let inputs = try source.wildfireInputs(sceneId: world.sceneA)
            let direct = world.directory.url.appendingPathComponent("direct")
            var options = try WildfireRequest.decodedForTest(#"{"chipSize": 64, "features": ["ndvi_post"]}"#).options()
            options.threads = 1
            let report = try WildfireExtractor.run(post: inputs.post, pre: inputs.pre, dem: nil, labels: inputs.burnLabels,
                                                   landCover: inputs.landCover, options: options, output: direct)
            #expect(report.files.count == 12)  // 256 × 192 in 64-pixel chips
            for file in report.files + ["summary.json"] {
                let ours = try Data(contentsOf: URL(fileURLWithPath: location).appendingPathComponent(file))
                #expect(ours == (try Data(contentsOf: direct.appendingPathComponent(file))), "\(file)")
            }
        }
    }
}

extension WildfireJobRouteTests {
    /// Terrain features from a DEM a manager names: trainers may not name one; one outside the
    /// server's sources, missing, not a GeoTIFF or not georeferenced is refused before queueing;
    /// the job's chips equal the extractor's own run with the same DEM.
    @Test func aManagersDEMGivesTerrainFeatures() async throws {
        let world = try await TestWorld.make()
        let exports = world.directory.url.appendingPathComponent("exports").path
        let runner = JobRunner(service: world.service, exportRoot: exports, worker: "test-runner")
        let dem = world.directory.file("dem.tif")
        let made = try Shell.run("gdal_translate", ["-q", "-b", "1", "-ot", "Float32", Fixture.path("utm_multiband.tif"), dem])
        try #require(made.status == 0, "\(made.stderr)")
        let vrt = world.directory.file("dem.vrt")
        try #require(try Shell.run("gdal_translate", ["-q", "-of", "VRT", dem, vrt]).status == 0)
        try await world.test { client in
            let path = "/api/v1/scenes/\(world.sceneA)/wildfire"
            let wanted: [String: Any] = ["chipSize": 64, "features": ["slope_deg", "ndvi_post"], "dem": dem]
            let trainer = try await client.call(.post, path, token: world.trainer, json: wanted)
            #expect(trainer.status == .forbidden && !trainer.reason.contains(dem), "\(trainer.object)")
            for (demURI, status, named) in [("/vsicurl/http://169.254.169.254/latest", HTTPResponse.Status.forbidden, "not under a source"),
                                            (world.directory.file("missing.tif"), .badRequest, "dem: "),
                                            (vrt, .badRequest, "dem: "), (Fixture.path("no_crs.tif"), .badRequest, "not georeferenced"),
                                            ("", .badRequest, "dem")] {
                var body = wanted
                body["dem"] = demURI
                let reply = try await client.call(.post, path, token: world.manager, json: body)
                #expect(reply.status == status && reply.reason.contains(named), "\(demURI): \(reply.object)")
            }
            let queued = try await client.call(.post, path, token: world.manager, json: wanted)
            #expect(queued.status == .accepted, "\(queued.object)")
            let id = try #require(queued.object["id"] as? Int)
            #expect(try await runner.runOnce())
            let done = try await client.call(.get, "/api/v1/wildfire/\(id)", token: world.manager)
            #expect(done.object["status"] as? String == "succeeded", "\(done.object)")
            let location = try #require(done.object["location"] as? String)

            let source = try await world.service.exportSource(projectId: world.projectA, statuses: [.accepted], by: .commandLine)
            let inputs = try source.wildfireInputs(sceneId: world.sceneA)
            let direct = world.directory.url.appendingPathComponent("direct")
            var options = WildfireOptions(features: ["slope_deg", "ndvi_post"], chipSize: 64, threads: 1)
            options.demDrivers = ["GTiff"]
            let report = try WildfireExtractor.run(post: inputs.post, pre: inputs.pre, dem: dem, labels: inputs.burnLabels,
                                                   landCover: inputs.landCover, options: options, output: direct)
            #expect(report.files.count == 12)
            for file in report.files + ["summary.json"] {
                let ours = try Data(contentsOf: URL(fileURLWithPath: location).appendingPathComponent(file))
                #expect(ours == (try Data(contentsOf: direct.appendingPathComponent(file))), "\(file)")
            }
            // features.json alike but for the CRS's text: GDAL reads the fixture's GeoTIFF keys as WGS 84's datum
            // or as its datum ensemble from one open to the next; both are EPSG:32610.
            var catalogs: [[String: Any]] = []
            for folder in [URL(fileURLWithPath: location), direct] {
                var catalog = try JSONSerialization.jsonObject(with: Data(contentsOf: folder.appendingPathComponent("features.json"))) as! [String: Any]
                #expect(try CRS(try #require(catalog.removeValue(forKey: "crs") as? String)).epsg == 32610)
                catalogs.append(catalog)
            }
            #expect(NSDictionary(dictionary: catalogs[0]) == NSDictionary(dictionary: catalogs[1]))
            #expect((catalogs[0]["bands"] as? [[String: Any]])?.compactMap { $0["name"] as? String } == ["ndvi_post", "slope_deg"])
        }
    }
}

extension WildfireRequest {
    static func decodedForTest(_ json: String) throws -> WildfireRequest {
        try JSONDecoder().decode(WildfireRequest.self, from: Data(json.utf8))
    }
}
