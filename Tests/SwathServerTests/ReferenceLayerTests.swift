import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing
import SwathGeo
import SwathLabels
import SwathTestSupport

/// Reference layers through the routes: a building pasted from one (shifted
/// 2 px) is flagged with the layer and feature named, an honest tracing of
/// another is not, and files that cannot serve are refused by name with
/// nothing stored.
@Suite struct ReferenceLayerTests {
    /// An L-shaped building in tile pixels, and where each of the fixture's two whole tiles starts.
    static let building: [[Double]] = [[30, 30], [70, 30], [70, 55], [50, 55], [50, 70], [30, 70]]

    /// The building in the fixture's own CRS (EPSG:32610, origin 600000, 4300000, 10 m pixels), worked by hand.
    static func utm(_ ring: [[Double]], tileColumn: Int) -> [[Double]] {
        ring.map { [600_000 + 10 * ($0[0] + Double(128 * tileColumn)), 4_300_000 - 10 * $0[1]] }
    }

    /// A GeoJSON file of the building in both whole tiles, in UTM, reprojected to WGS84 by ogr2ogr (GDAL's own tool).
    static func referenceFile(in directory: TemporaryDirectory) throws -> String {
        func feature(_ id: Int, _ ring: [[Double]]) -> String {
            let closed = (ring + [ring[0]]).map { "[\($0[0]), \($0[1])]" }.joined(separator: ", ")
            return #"{"type": "Feature", "id": \#(id), "properties": {"source": "public footprints"}, "geometry": {"type": "Polygon", "coordinates": [[\#(closed)]]}}"#
        }
        let utmPath = directory.file("buildings_utm.geojson")
        try #"{"type": "FeatureCollection", "crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::32610"}}, "features": [\#(feature(7, utm(building, tileColumn: 0))), \#(feature(8, utm(building, tileColumn: 1)))]}"#
            .write(toFile: utmPath, atomically: true, encoding: .utf8)
        let wgs84Path = directory.file("buildings.geojson")
        let result = try Shell.run("ogr2ogr", ["-t_srs", "EPSG:4326", "-f", "GeoJSON", wgs84Path, utmPath])
        #expect(result.status == 0, "\(result.stderr)")
        return wgs84Path
    }

    static func upload(_ client: any TestClientProtocol, _ world: TestWorld, name: String, bytes: [UInt8], token: String? = nil,
                       path: String? = nil) async throws -> (status: HTTPResponse.Status, text: String) {
        let url = path ?? "/api/v1/projects/\(world.projectA)/references?name=\(name)"
        let reply = try await client.call(.post, url, token: token ?? world.manager, raw: bytes)
        return (reply.status, reply.text)
    }

    @Test func aPastedReferenceBuildingIsFlaggedAndAnHonestTracingIsNot() async throws {
        let world = try await TestWorld.make()
        let directory = try TemporaryDirectory("reference-layer")
        let file = try Self.referenceFile(in: directory)
        try await world.test { client in
            let registered = try await Self.upload(client, world, name: "public-footprints", bytes: Array(try Data(contentsOf: URL(fileURLWithPath: file))))
            #expect(registered.status == .created, "\(registered.text)")
            #expect(registered.text.contains("\"features\":2") && !registered.text.contains(directory.path))
            let whole = world.tasksA.filter { $0.window.width == 128 && $0.window.height == 128 }.sorted { $0.window.col < $1.window.col }
            #expect(whole.count == 2 && whole[0].window.col == 0 && whole[1].window.col == 128)
            // The paster: the reference building of tile 0, moved 2 px right.
            let pasted = Self.building.map { [$0[0] + 2, $0[1]] }
            let pastedTask = try await AdaptiveFraudTests.work([pasted], world: world, client: client, token: world.annotator, only: Int(whole[0].id))
            // The honest annotator: their own tracing of tile 1's building, each click off by up to a pixel.
            var jitter = AdaptiveFraudTests.Jitter(state: 9)
            let traced = Self.building.map { [$0[0] + 0.8 * jitter.next(), $0[1] + 0.8 * jitter.next()] }
            let tracedTask = try await AdaptiveFraudTests.work([traced], world: world, client: client, token: world.annotator2, only: Int(whole[1].id))
            let flags = try await AdaptiveFraudTests.flags(world, client: client)
            let copied = flags.filter { $0["kind"] as? String == "copied_reference" }
            #expect(copied.count == 1 && copied.first?["taskId"] as? Int == pastedTask, "\(flags)")
            let evidence = copied.first?["evidence"] as? String ?? ""
            #expect(evidence.contains("feature 7 of reference layer 'public-footprints'") && evidence.contains("a shift of 2.0 px"), "\(evidence)")
            #expect(!flags.contains { $0["taskId"] as? Int == tracedTask && $0["kind"] as? String == "copied_reference" })
            let layers = try await client.call(.get, "/api/v1/projects/\(world.projectA)/references", token: world.manager)
            #expect(layers.status == .ok && layers.text.contains("public-footprints"))
            #expect(try await client.call(.get, "/api/v1/projects/\(world.projectA)/references", token: world.annotator).status == .forbidden)
        }
    }

    @Test func filesThatCannotServeAreRefusedByNameAndNothingIsStored() async throws {
        let world = try await TestWorld.make()
        let directory = try TemporaryDirectory("reference-bad")
        try await world.test { client in
            func refused(_ bytes: [UInt8], naming words: [String], token: String? = nil, path: String? = nil,
                         status: HTTPResponse.Status = .badRequest) async throws {
                let reply = try await Self.upload(client, world, name: "bad", bytes: bytes, token: token, path: path)
                #expect(reply.status == status && words.allSatisfy(reply.text.contains), "\(reply.status) \(reply.text)")
                #expect(!reply.text.contains("/tmp") && !reply.text.contains("swath-reference"), "no staging path leaks: \(reply.text)")
            }
            try await refused(Array("this is not a vector file".utf8), naming: ["the upload"])
            try await refused(Array(#"{"type": "FeatureCollection", "features": []}"#.utf8), naming: ["the upload", "is empty"])
            // A building in the Atlantic: nowhere near the project's scenes.
            let far = #"{"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {}, "geometry": {"type": "Polygon", "coordinates": [[[-30, 10], [-29.99, 10], [-29.99, 10.01], [-30, 10.01], [-30, 10]]]}}]}"#
            try await refused(Array(far.utf8), naming: ["does not cover project"])
            // A shapefile without its .prj, zipped: no CRS.
            let geojson = directory.file("one.geojson")
            try far.write(toFile: geojson, atomically: true, encoding: .utf8)
            let shapes = directory.file("shapes")
            #expect(try Shell.run("ogr2ogr", ["-f", "ESRI Shapefile", shapes, geojson]).status == 0)
            try FileManager.default.removeItem(atPath: shapes + "/one.prj")
            let zip = directory.file("one.zip")
            #expect(try Shell.run("sh", ["-c", "cd '\(shapes)' && zip -q '\(zip)' one.shp one.shx one.dbf"]).status == 0)
            try await refused(Array(try Data(contentsOf: URL(fileURLWithPath: zip))), naming: ["declares no CRS"])
            // Roles: an annotator may not register; a manager may not register a global layer.
            try await refused(Array(far.utf8), naming: [], token: world.annotator, status: .forbidden)
            try await refused(Array(far.utf8), naming: ["admin"], path: "/api/v1/references?name=bad", status: .forbidden)
            try await refused(Array(far.utf8), naming: ["name"], path: "/api/v1/projects/\(world.projectA)/references")
            let layers = try await client.call(.get, "/api/v1/projects/\(world.projectA)/references", token: world.manager)
            #expect(layers.text == "[]", "nothing half-registered: \(layers.text)")
            // An admin's global layer needs no coverage.
            let global = try await Self.upload(client, world, name: "world", bytes: Array(far.utf8), token: world.admin, path: "/api/v1/references?name=world")
            #expect(global.status == .created && global.text.contains("\"scope\":\"global\""), "\(global.text)")
        }
    }
}
