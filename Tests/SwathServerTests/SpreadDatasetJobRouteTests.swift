import Foundation
import HTTPTypes
import Testing
import SwathExport
import SwathGeo
import SwathJobs
import SwathLabels
import SwathServerTestSupport
import SwathSpread
import SwathTestSupport

/// A spread dataset asked for over HTTP: a job like an export; weather sources and a DEM named by managers only,
/// each passing the scene-source policy and the format allow-list before anything is queued; the job's dataset
/// is the one the builder makes of the same labels.
@Suite struct SpreadDatasetJobRouteTests {
    /// Two dated copies of the fixture in project A (06:00 and 12:00 UTC, 2026-08-01), a fire on each, imported by the manager.
    static func datedFire(in world: TestWorld) async throws {
        let manager = try await world.service.authenticate(token: world.manager)
        let admin = try await world.service.authenticate(token: world.admin)
        for (index, (hour, east)) in [(6, 601_000), (12, 601_500)].enumerated() {
            let copy = world.directory.file("day\(index + 1).tif")
            try FileManager.default.copyItem(atPath: Fixture.path("utm_multiband.tif"), toPath: copy)
            let scene = try await world.service.registerScene(projectId: world.projectA, SceneRegistration(
                uri: copy, acquiredAt: Date(timeIntervalSince1970: 1_785_542_400 + Double(hour) * 3600)), by: admin)
            let burn = #"{"type":"FeatureCollection","crs":{"type":"name","properties":{"name":"urn:ogc:def:crs:EPSG::32610"}},"features":[{"type":"Feature","properties":{},"geometry":{"type":"Polygon","coordinates":[[[600500,4298800],["#
                + "\(east),4298800],[\(east),4299300],[600500,4299300],[600500,4298800]]]}}]}"
            _ = try await world.service.importLabels(sceneId: scene.id, data: Array(burn.utf8), options: ImportOptions(fixedClass: "204"), by: manager)
        }
    }

    @Test func queuedRunAndEqualToTheBuildersOwn() async throws {
        let world = try await TestWorld.make()
        try await Self.datedFire(in: world)
        let weather = try WeatherFixture()
        let exports = world.directory.url.appendingPathComponent("exports").path
        let runner = JobRunner(service: world.service, exportRoot: exports, worker: "test-runner")
        let weatherPath = weather.weather
        let wind = ["NETCDF:\"\(weatherPath)\":u10=wind_u", "NETCDF:\"\(weatherPath)\":v10=wind_v"]
        try await world.test { client in
            let wanted: [String: Any] = ["window": 16, "stride": 8, "statuses": ["open"], "cubeFormat": "zarr", "weather": wind, "split": "fire:1,0,0"]
            let path = "/api/v1/projects/\(world.projectA)/spread-datasets"
            #expect(try await client.call(.post, path, json: [:]).status == .unauthorized)
            #expect(try await client.call(.post, path, token: world.annotator, json: [:]).status == .forbidden)
            #expect(try await client.call(.post, path, token: world.outsider, json: [:]).status == .notFound)
            let trainerWeather = try await client.call(.post, path, token: world.trainer, json: ["weather": wind])
            #expect(trainerWeather.status == .forbidden && !trainerWeather.reason.contains(weatherPath), "\(trainerWeather.object)")
            #expect(try await client.call(.post, path, token: world.trainer, json: ["statuses": ["open"]]).status == .forbidden)
            let missing = world.directory.file("missing.nc"), geotiff = Fixture.path("utm_multiband.tif")
            let bad: [([String: Any], HTTPResponse.Status, String)] = [
                (["window": 2], .badRequest, "window"), (["window": 16.5], .badRequest, "window: expected a whole number"),
                (["cubeFormat": "hdf5"], .badRequest, "cubeFormat"), (["weatherTime": "nearest"], .badRequest, "weatherTime"),
                (["split": "fire:0.5,0.5"], .badRequest, "split"), (["seed": -1], .badRequest, "seed"),
                (["weather": [wind[0]]], .badRequest, "wind_u needs wind_v"),
                (["weather": ["/vsicurl/http://169.254.169.254/latest=humidity"]], .forbidden, "not under a source"),
                (["weather": [missing + "=humidity"]], .badRequest, "weather: "),
                (["weather": [geotiff + "=humidity"]], .badRequest, "weather: "),
            ]
            for (body, status, named) in bad {
                let reply = try await client.call(.post, path, token: world.manager, json: body)
                #expect(reply.status == status && reply.reason.contains(named), "\(body): \(reply.object)")
            }

            // A Zarr store is a folder: it passes the policy as one, under the same sources.
            let zarr = world.directory.file("weather.zarr")
            let written = try Shell.run("python3", ["-c", "import sys, xarray; xarray.open_dataset(sys.argv[1]).to_zarr(sys.argv[2], zarr_format=2, consolidated=False)",
                                                    weatherPath, zarr])
            try #require(written.status == 0, "\(written.stderr)")
            let zarrWind = ["ZARR:\"\(zarr)\":/u10=wind_u", "ZARR:\"\(zarr)\":/v10=wind_v"]
            let zarrQueued = try await client.call(.post, path, token: world.manager, json: ["weather": zarrWind, "statuses": ["open"]])
            #expect(zarrQueued.status == .accepted, "\(zarrQueued.object)")
            let folderAsFile = try await client.call(.post, path, token: world.manager, json: ["dem": world.directory.path])
            #expect(folderAsFile.status == .badRequest, "a folder is no DEM: \(folderAsFile.object)")
            let zarrJob = try #require(zarrQueued.object["id"] as? Int)
            #expect(try await runner.runOnce())
            let zarrDone = try await client.call(.get, "/api/v1/spread-datasets/\(zarrJob)", token: world.manager)
            #expect(zarrDone.object["status"] as? String == "succeeded", "a Zarr weather source read by the worker: \(zarrDone.object)")

            let queued = try await client.call(.post, path, token: world.manager, json: wanted)
            #expect(queued.status == .accepted && queued.object["kind"] as? String == "spread", "\(queued.object)")
            let id = try #require(queued.object["id"] as? Int)
            #expect(queued.headers[.location] == "/api/v1/spread-datasets/\(id)")
            #expect(try await client.call(.get, "/api/v1/wildfire/\(id)", token: world.manager).status == .notFound, "not a wildfire job")
            #expect(try await runner.runOnce())
            let done = try await client.call(.get, "/api/v1/spread-datasets/\(id)", token: world.manager)
            #expect(done.object["status"] as? String == "succeeded", "\(done.object)")
            let location = try #require(done.object["location"] as? String)
            #expect(location == exports + "/project-\(world.projectA)/spread-\(id)")
            #expect(try await client.call(.get, "/api/v1/spread-datasets/\(id)", token: world.trainer).object["location"] == nil)

            // The builder run directly on the same labels and weather: the same card, the same samples byte for byte.
            let source = try await world.service.exportSource(projectId: world.projectA, statuses: [.open], by: .commandLine)
            let gathered = try source.spreadBurns()
            var options = try JSONDecoder().decode(SpreadDatasetRequest.self, from: JSONSerialization.data(withJSONObject: wanted)).options()
            options.demDrivers = ["GTiff"]
            let layers = try wind.map { try WeatherLayer(WeatherSource(argument: $0)) }
            let builder = gathered.builder(weather: layers, options: options)
            let direct = world.directory.url.appendingPathComponent("direct")
            _ = try builder.build(burns: gathered.burns, into: direct)
            let manager = FileManager.default
            let files = try manager.subpathsOfDirectory(atPath: direct.path).filter { $0.hasSuffix(".tif") || $0.hasSuffix(".json") }
            #expect(files.contains("card.json") && files.contains { $0.hasPrefix("samples/train/") && $0.hasSuffix(".tif") })
            for file in files {
                #expect(manager.contents(atPath: location + "/" + file) == manager.contents(atPath: direct.path + "/" + file), "\(file)")
            }
            #expect(manager.fileExists(atPath: location + "/cubes/fire1.zarr/features/.zarray"))
        }
    }

    /// A seed alone moves fires between the default split's parts: it is not dropped for want of a split.
    @Test func aSeedAloneDrawsTheDefaultSplit() throws {
        let fires = (1...40).map { (id: $0, firstObserved: Date(timeIntervalSince1970: 0)) }
        let decode = { (json: String) in try JSONDecoder().decode(SpreadDatasetRequest.self, from: Data(json.utf8)).options().split.assign(fires) }
        let seeded = try decode(#"{"seed": 7}"#), unseeded = try decode("{}")
        #expect(seeded == (try SpreadSplit(argument: "fire:0.7,0.15,0.15", seed: 7).assign(fires)))
        #expect(seeded != unseeded && seeded.values.filter { $0 == "train" }.count == 28)
    }
}
