import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Testing
import SwathGeo
import SwathLabels
import SwathServerTestSupport
import SwathTestSupport

/// A manager of one project uploads "vector files" built to make GDAL read
/// what the server can reach: its own database through an OGR VRT's SQL,
/// local files through a CSV or VRT, URLs. Every one must be refused before
/// GDAL opens it, and nothing of another project may come back.
@Suite struct HostileUploadTests {
    static func importPath(_ world: TestWorld) -> String {
        "/api/v1/scenes/\(world.sceneA)/labels/import?class=cropland"
    }

    /// What an attacker would send, named for the failure message; URLs point at `trapPort`.
    static func attacks(_ world: TestWorld, trapPort: Int) -> [(String, [UInt8])] {
        let database = world.directory.file("test.sqlite")
        let url = "http://127.0.0.1:\(trapPort)/labels.geojson"
        let remoteVRT = """
        <OGRVRTDataSource><OGRVRTLayer name="remote"><SrcDataSource>/vsicurl/\(url)</SrcDataSource></OGRVRTLayer></OGRVRTDataSource>
        """
        let vrt = """
        <OGRVRTDataSource><OGRVRTLayer name="leak"><SrcDataSource>\(database)</SrcDataSource>
        <SrcSQL>SELECT customer AS kind, 'POLYGON((0 0,1 0,1 1,0 0))' AS wkt FROM projects</SrcSQL>
        <GeometryField encoding="WKT" field="wkt"/></OGRVRTLayer></OGRVRTDataSource>
        """
        let csvVRT = """
        <OGRVRTDataSource><OGRVRTLayer name="hosts"><SrcDataSource>/etc/hosts</SrcDataSource></OGRVRTLayer></OGRVRTDataSource>
        """
        let gml = """
        <?xml version="1.0"?><gml:FeatureCollection xmlns:gml="http://www.opengis.net/gml" xmlns:xlink="http://www.w3.org/1999/xlink">
        <gml:featureMember xlink:href="\(url)"/></gml:FeatureCollection>
        """
        return [
            ("OGR VRT with SQL on the server's database", Array(vrt.utf8)),
            ("OGR VRT over /etc/hosts", Array(csvVRT.utf8)),
            ("GML with an xlink to a URL", Array(gml.utf8)),
            ("CSV with WKT", Array("WKT,kind\n\"POLYGON((0 0,1 0,1 1,0 0))\",x\n".utf8)),
            ("a bare URL", Array(url.utf8)),
            ("OGR VRT over a URL", Array(remoteVRT.utf8)),
            ("GeoJSON whose text is a /vsicurl/ path", Array("/vsicurl/\(url)".utf8)),
            ("SQLite database that is not a GeoPackage", Array("SQLite format 3\0".utf8) + [UInt8](repeating: 0, count: 200)),
            ("a zip holding an OGR VRT", (try? Self.zip(["leak.vrt": Array(vrt.utf8)])) ?? []),
            ("an empty body", []),
        ]
    }

    @Test func filesThatReferOtherSourcesAreRefusedAndLeakNothing() async throws {
        let world = try await TestWorld.make()
        let trap = try ConnectionTrap()
        let attacks = Self.attacks(world, trapPort: trap.port)
        try await world.test { client in
            for (name, body) in attacks {
                let reply = try await client.call(.post, Self.importPath(world), token: world.manager, raw: body)
                #expect(reply.status == .badRequest, "\(name): \(reply.status) \(reply.text)")
                #expect(!reply.text.contains(TestWorld.customer) && !reply.text.contains("Globex"), "\(name) leaked a customer: \(reply.text)")
                #expect(!reply.text.contains("localhost") && !reply.text.contains(world.directory.path), "\(name) leaked a path: \(reply.text)")
            }
            // The server still answers, and nothing was imported.
            #expect(try await client.call(.get, "/api/v1/me", token: world.manager).status == .ok)
        }
        #expect(!trap.wasContacted, "an upload made the server fetch a URL")
        for task in world.tasksA { #expect(try await world.service.store.labels(taskId: task.id, privateTo: nil).isEmpty) }
    }

    /// A GeoPackage is SQLite: a view over a VirtualOGR table (written into the schema by hand) would
    /// read any file if GDAL registered its SQLite modules on the connection. It must read nothing.
    @Test func aGeoPackageCannotReachOtherFilesThroughSQLite() async throws {
        let world = try await TestWorld.make()
        let dir = try TemporaryDirectory()
        try Self.squareGeoJSON().write(toFile: dir.file("in.geojson"), atomically: true, encoding: .utf8)
        let gpkg = dir.file("leak.gpkg")
        #expect(try Shell.run("ogr2ogr", ["-f", "GPKG", gpkg, dir.file("in.geojson")]).status == 0)
        let schema = """
            PRAGMA writable_schema=ON;
            INSERT INTO sqlite_master (type, name, tbl_name, rootpage, sql)
              VALUES ('table', 'hosts', 'hosts', 0, 'CREATE VIRTUAL TABLE hosts USING VirtualOGR(''/etc/hosts'')');
            PRAGMA writable_schema=OFF;
            CREATE VIEW leak AS SELECT * FROM hosts;
            INSERT INTO gpkg_contents (table_name, data_type, identifier) VALUES ('leak', 'attributes', 'leak');
            """
        #expect(try Shell.run("sqlite3", [gpkg], input: schema).status == 0)
        let body = Array(try Data(contentsOf: URL(fileURLWithPath: gpkg)))
        try await world.test { client in
            let path = "/api/v1/scenes/\(world.sceneA)/labels/import?class=cropland&layer=leak"
            let reply = try await client.call(.post, path, token: world.manager, raw: body)
            #expect(reply.status.code < 500 && reply.object["labelsCreated"] as? Int ?? 0 == 0, "\(reply.text)")
            #expect(!reply.text.contains("localhost") && !reply.text.contains("127.0.0.1"), "the upload read /etc/hosts: \(reply.text)")
        }
    }

    /// The trap itself notices a connection, so its silence above means something.
    @Test func theTrapNoticesAFetch() async throws {
        let trap = try ConnectionTrap()
        var request = URLRequest(url: try #require(URL(string: "http://127.0.0.1:\(trap.port)/x")))
        request.timeoutInterval = 0.5
        _ = try? await URLSession.shared.data(for: request)
        #expect(trap.wasContacted)
    }

    @Test func theAllowedFormatsStillImport() async throws {
        let world = try await TestWorld.make()
        let dir = try TemporaryDirectory()
        let geojson = try Self.squareGeoJSON()
        try geojson.write(toFile: dir.file("in.geojson"), atomically: true, encoding: .utf8)
        #expect(try Shell.run("ogr2ogr", ["-f", "GPKG", dir.file("in.gpkg"), dir.file("in.geojson")]).status == 0)
        #expect(try Shell.run("ogr2ogr", ["-f", "FlatGeobuf", dir.file("in.fgb"), dir.file("in.geojson")]).status == 0)
        #expect(try Shell.run("ogr2ogr", ["-f", "ESRI Shapefile", dir.file("shp"), dir.file("in.geojson"), "-nln", "squares"]).status == 0)
        let parts = try ["shp", "shx", "dbf", "prj"].reduce(into: [String: [UInt8]]()) { parts, ext in
            parts["squares.\(ext)"] = Array(try Data(contentsOf: URL(fileURLWithPath: dir.file("shp/squares.\(ext)"))))
        }
        let uploads: [(String, [UInt8])] = [
            ("GeoJSON", Array(geojson.utf8)),
            ("GeoPackage", Array(try Data(contentsOf: URL(fileURLWithPath: dir.file("in.gpkg"))))),
            ("FlatGeobuf", Array(try Data(contentsOf: URL(fileURLWithPath: dir.file("in.fgb"))))),
            ("zipped shapefile", try Self.zip(parts)),
        ]
        try await world.test { client in
            for (name, body) in uploads {
                let reply = try await client.call(.post, Self.importPath(world), token: world.manager, raw: body)
                #expect(reply.status == .ok && reply.object["featuresAccepted"] as? Int == 1, "\(name): \(reply.text)")
            }
        }
    }

    @Test func outsidersAndAnnotatorsAreRefusedBeforeTheBodyIsRead() async throws {
        let world = try await TestWorld.make()
        let large = [UInt8](repeating: UInt8(ascii: " "), count: 8 << 20)
        try await world.test { client in
            let outsider = try await client.call(.post, Self.importPath(world), token: world.outsider, raw: large)
            #expect(outsider.status == .notFound && !outsider.text.contains(TestWorld.customer))
            #expect(try await client.call(.post, Self.importPath(world), token: world.annotator, raw: large).status == .forbidden)
            let task = world.tasksA[0].id
            #expect(try await client.call(.put, "/api/v1/tasks/\(task)/labels", token: world.outsider, raw: large).status == .notFound)
            #expect(try await client.call(.put, "/api/v1/tasks/\(task)/gold", token: world.annotator, raw: large).status == .forbidden)
            #expect(try await client.call(.patch, "/api/v1/projects/\(world.projectA)/settings", token: world.reviewer, raw: large).status == .forbidden)
        }
    }

    /// A WGS84 square inside the fixture scene's first task (pixels 20…60).
    static func squareGeoJSON() throws -> String {
        let corners = [(20, 20), (60, 20), (60, 60), (20, 60), (20, 20)].map {
            Point(x: 600000 + Double($0.0) * 10, y: 4300000 - Double($0.1) * 10)
        }
        let ring = try GDALTools.toLonLat(fromEPSG: 32610, corners).map { "[\($0.x), \($0.y)]" }.joined(separator: ",")
        return """
        {"type": "FeatureCollection", "features": [
          {"type": "Feature", "properties": {"kind": "cropland"}, "geometry": {"type": "Polygon", "coordinates": [[\(ring)]]}}]}
        """
    }

    /// A zip archive made by Info-ZIP's `zip` from the named files.
    static func zip(_ files: [String: [UInt8]]) throws -> [UInt8] {
        let dir = try TemporaryDirectory()
        for (name, bytes) in files { FileManager.default.createFile(atPath: dir.file(name), contents: Data(bytes)) }
        let archive = dir.file("upload.zip")
        let result = try Shell.run("zip", ["-j", "-q", archive] + files.keys.sorted().map { dir.file($0) })
        guard result.status == 0 else { throw GeometryProblem("zip failed: \(result.stderr)") }
        return Array(try Data(contentsOf: URL(fileURLWithPath: archive)))
    }
}
