import Foundation
import HummingbirdTesting
import Testing
import SwathGeo
import SwathLabels
import SwathTestSupport

/// Labels at the edges of the map, stored in the scene's CRS and sent back as RFC 7946: one round the North Pole
/// (sent in the scene's CRS and in pixels) comes back closed along the pole with PROJ's vertices; one near it
/// (89.5° N, sent in WGS84) comes back as sent; one across ±180° sent as RFC 7946 cuts it comes back cut the same way.
/// Whatever comes back in WGS84 can be sent again unchanged.
@Suite struct EdgeLabelRoundTripTests {
    /// GeoJSON Polygon or MultiPolygon coordinates as shapes (for GEOS's validity and areas).
    static func shape(_ geometry: [String: Any]) throws -> MultiPolygon {
        let polygons: [[[[Double]]]] = geometry["type"] as? String == "Polygon"
            ? [try #require(geometry["coordinates"] as? [[[Double]]])]
            : try #require(geometry["coordinates"] as? [[[[Double]]]])
        return MultiPolygon(polygons.map { Polygon(rings: $0.map { $0.map { Point(x: $0[0], y: $0[1]) } }) })
    }

    static func geometry(_ reply: Reply, _ index: Int = 0) throws -> [String: Any] {
        let features = try #require(reply.object["features"] as? [[String: Any]])
        try #require(features.indices.contains(index), "no feature \(index) in \(reply.text)")
        return try #require(features[index]["geometry"] as? [String: Any])
    }

    /// Every vertex of each within `tolerance` of a vertex of the other.
    static func sameVertices(_ a: MultiPolygon, _ b: MultiPolygon, within tolerance: Double) -> Bool {
        let near = { (p: Point, shape: MultiPolygon) in shape.allPoints.contains { abs($0.x - p.x) <= tolerance && abs($0.y - p.y) <= tolerance } }
        return a.allPoints.allSatisfy { near($0, b) } && b.allPoints.allSatisfy { near($0, a) }
    }

    @Test func labelsRoundAndNearTheNorthPole() async throws {
        let folder = try TemporaryDirectory("swath-polar-labels")
        // One task, the whole scene: its pixels are the scene's.
        let world = try await TestWorld.make(tileSize: 400, scenePath: try PolarScene.make(epsg: 3413, in: folder), bandRoles: [:])
        try await world.test { client in
            let claim = try await client.call(.post, "/api/v1/projects/\(world.projectA)/tasks/claim", token: world.annotator)
            let task = try #require(claim.object["id"] as? Int64)
            // Round the pole in EPSG:3413 metres; round it in pixels (columns 150–250); near it in lon/lat (89.4–89.6° N).
            let inScene = [[-70_000.0, -120_000], [130_000, -120_000], [130_000, 80_000], [-70_000, 80_000], [-70_000, -120_000]]
            let nearPole = [[10.0, 89.4], [20, 89.4], [20, 89.6], [10, 89.6], [10, 89.4]]
            for (crs, ring) in [("scene", inScene), ("pixel", pixelSquare(150, 150, 100)), ("wgs84", nearPole)] {
                let put = try await client.call(.put, "/api/v1/tasks/\(task)/labels?crs=\(crs)", token: world.annotator,
                                                json: featureCollection([ring]))
                #expect(put.status == .ok, "\(crs): \(put.text)")
                let got = try await client.call(.get, "/api/v1/tasks/\(task)/labels", token: world.annotator)
                let lonLat = try Self.shape(Self.geometry(got))
                for polygon in lonLat.polygons { #expect(MultiPolygon(polygon).validityProblem == nil, "\(crs): \(polygon)") }
                #expect(lonLat.allPoints.allSatisfy { (-180...180).contains($0.x) && (-90...90).contains($0.y) })
                let sentCorners: [Point]
                switch crs {
                case "wgs84":
                    sentCorners = ring.map { Point(x: $0[0], y: $0[1]) }
                    #expect(Self.sameVertices(lonLat, try Self.shape(["type": "Polygon", "coordinates": [ring]]), within: 1e-9), "\(lonLat)")
                    #expect(!RayCasting.contains(lonLat, Point(x: 0, y: 89.99)))
                default:
                    let metres = crs == "scene" ? ring : ring.map { [-200_000 + $0[0] * 1000, 200_000 - $0[1] * 1000] }
                    sentCorners = try GDALTools.toLonLat(fromEPSG: 3413, metres.map { Point(x: $0[0], y: $0[1]) })
                    for lon in stride(from: -175.0, through: 175, by: 25) {
                        #expect(RayCasting.contains(lonLat, Point(x: lon, y: 89.9)), "\(crs): round the pole at \(lon)")
                    }
                    let features = try #require(got.object["features"] as? [[String: Any]])
                    let box = try #require(features.first?["bbox"] as? [Double])
                    #expect(box[0] == -180 && box[2] == 180 && box[3] == 90, "\(box)")
                }
                for corner in sentCorners {
                    #expect(lonLat.allPoints.contains { abs($0.x - corner.x) < 1e-9 && abs($0.y - corner.y) < 1e-9 }, "\(crs): \(corner)")
                }
                // What came back in WGS84 goes in again as the same label, and comes back the same.
                var again = featureCollection([])
                again["features"] = [["type": "Feature", "geometry": try Self.geometry(got), "properties": ["class": "cropland"]]]
                let resent = try await client.call(.put, "/api/v1/tasks/\(task)/labels", token: world.annotator, json: again)
                #expect(resent.status == .ok, "\(crs): \(resent.text)")
                #expect(Self.sameVertices(try Self.shape(Self.geometry(resent)), lonLat, within: 1e-9), "\(crs) sent again")
            }
            // The bbox query finds the label round the pole from any longitude next to it, and not far from it.
            let put = try await client.call(.put, "/api/v1/tasks/\(task)/labels?crs=scene", token: world.annotator, json: featureCollection([inScene]))
            #expect(put.status == .ok)
            for (bbox, count) in [("-10,89.95,10,90", 1), ("170,89.5,-170,90", 1), ("100,89.99,101,90", 1), ("0,85,1,86", 0)] {
                let found = try await client.call(.get, "/api/v1/projects/\(world.projectA)/labels?status=all&bbox=\(bbox)", token: world.manager)
                #expect((found.object["features"] as? [Any])?.count == count, "\(bbox): \(found.text)")
            }
        }
    }

    @Test func aLabelCutAt180ComesBackCutTheSameWay() async throws {
        let world = try await TestWorld.make(tileSize: 64, scenePath: Fixture.path("antimeridian.tif"), bandRoles: [:])
        try await world.test { client in
            // The task across 180° (the other one lies east of it): the queue's order is its own, so skip the other.
            let other = try #require(world.tasksA.last?.id)
            let claim = try await client.call(.post, "/api/v1/projects/\(world.projectA)/tasks/claim?skip=\(other)", token: world.annotator)
            let task = try #require(claim.object["id"] as? Int64)
            try #require(task == world.tasksA[0].id, "the task across 180°")
            let east = [[179.85, 65.0], [180, 65.0], [180, 65.2], [179.85, 65.2], [179.85, 65.0]]
            let west = [[-180, 65.0], [-179.9, 65.0], [-179.9, 65.2], [-180, 65.2], [-180, 65.0]]
            let sent: [String: Any] = ["type": "MultiPolygon", "coordinates": [[east], [west]]]
            let body: [String: Any] = ["type": "FeatureCollection",
                                       "features": [["type": "Feature", "geometry": sent, "properties": ["class": "cropland"]]]]
            let put = try await client.call(.put, "/api/v1/tasks/\(task)/labels", token: world.annotator, json: body)
            #expect(put.status == .ok, "\(put.text)")
            // Stored as one shape in the scene's CRS: one polygon in pixels.
            let pixels = try await client.call(.get, "/api/v1/tasks/\(task)/labels?crs=pixel", token: world.annotator)
            try #require(pixels.status == .ok, "\(pixels.text)")
            #expect(try Self.shape(Self.geometry(pixels)).polygons.count == 1, "\(pixels.text)")
            let got = try await client.call(.get, "/api/v1/tasks/\(task)/labels", token: world.annotator)
            let lonLat = try Self.shape(Self.geometry(got))
            #expect(lonLat.polygons.count == 2)
            #expect(Self.sameVertices(lonLat, try Self.shape(sent), within: 1e-9), "\(lonLat)")
            for polygon in lonLat.polygons { #expect(MultiPolygon(polygon).validityProblem == nil) }
            let box = try #require((got.object["features"] as? [[String: Any]])?[0]["bbox"] as? [Double])
            #expect(abs(box[0] - 179.85) < 1e-9 && abs(box[2] + 179.9) < 1e-9, "west > east: \(box)")
        }
    }
}

/// A scene in EPSG:4326 itself that runs past 180° (179.5° … 180.5° E): its own longitudes go beyond 180, yet a
/// label sent as RFC 7946 cuts it lands on the scene and comes back cut the same way, and a click at −179.9° grows a
/// region there (the wand).
@Suite struct GeographicAntimeridianLabelTests {
    static func scene(in folder: TemporaryDirectory) throws -> String {
        try TestGeoTIFF.write(folder.file("across.tif"), size: Size(width: 100, height: 50),
                              transform: GeoTransform(originX: 179.5, pixelWidth: 0.01, originY: 65.5, pixelHeight: -0.01), epsg: 4326,
                              values: [UInt8](repeating: 7, count: 5000))
    }

    @Test func aLabelAcross180OnAGeographicSceneRoundTrips() async throws {
        let folder = try TemporaryDirectory("swath-geographic-180")
        let world = try await TestWorld.make(tileSize: 100, scenePath: try Self.scene(in: folder), bandRoles: [:])
        let scene = try #require(try await world.service.store.scene(id: world.sceneA))
        #expect(abs(scene.bboxWGS84[0] - 179.5) < 1e-9 && abs(scene.bboxWGS84[2] + 179.5) < 1e-9, "west > east: \(scene.bboxWGS84)")
        try await world.test { client in
            let claim = try await client.call(.post, "/api/v1/projects/\(world.projectA)/tasks/claim", token: world.annotator)
            let task = try #require(claim.object["id"] as? Int64)
            let east = [[179.8, 65.1], [180, 65.1], [180, 65.3], [179.8, 65.3], [179.8, 65.1]]
            let west = [[-180, 65.1], [-179.8, 65.1], [-179.8, 65.3], [-180, 65.3], [-180, 65.1]]
            let sent: [String: Any] = ["type": "MultiPolygon", "coordinates": [[east], [west]]]
            let body: [String: Any] = ["type": "FeatureCollection", "features": [["type": "Feature", "geometry": sent, "properties": ["class": "cropland"]]]]
            let put = try await client.call(.put, "/api/v1/tasks/\(task)/labels", token: world.annotator, json: body)
            try #require(put.status == .ok, "\(put.text)")
            // In the scene's own CRS one polygon from 179.8° to 180.2°; in pixels columns 30 to 70.
            let inScene = try EdgeLabelRoundTripTests.shape(EdgeLabelRoundTripTests.geometry(
                try await client.call(.get, "/api/v1/tasks/\(task)/labels?crs=scene", token: world.annotator)))
            #expect(inScene.polygons.count == 1)
            let box = try #require(inScene.bounds)
            #expect(abs(box[0] - 179.8) < 1e-9 && abs(box[2] - 180.2) < 1e-9, "\(box)")
            let got = try await client.call(.get, "/api/v1/tasks/\(task)/labels", token: world.annotator)
            let lonLat = try EdgeLabelRoundTripTests.shape(EdgeLabelRoundTripTests.geometry(got))
            #expect(lonLat.polygons.count == 2)
            #expect(EdgeLabelRoundTripTests.sameVertices(lonLat, try EdgeLabelRoundTripTests.shape(sent), within: 1e-9), "\(lonLat)")
            let bbox = try #require((got.object["features"] as? [[String: Any]])?[0]["bbox"] as? [Double])
            #expect(abs(bbox[0] - 179.8) < 1e-9 && abs(bbox[2] + 179.8) < 1e-9, "\(bbox)")
            // The wand, clicked in lon/lat west of 180°, finds the scene there (the whole raster is one value).
            let grown = try await client.call(.post, "/api/v1/tasks/\(task)/segment", token: world.annotator,
                                              json: ["point": [-179.9, 65.2], "crs": "wgs84", "tolerance": 1])
            #expect(grown.status == .ok, "\(grown.text)")
            #expect((grown.object["properties"] as? [String: Any])?["pixels"] as? Int == 5000, "\(grown.text)")
        }
    }
}
