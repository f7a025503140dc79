import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing
import SwathGeo
import SwathLabels
import SwathTestSupport

/// Click-to-segment on a painted scene: six bands, a field (a convex quadrilateral) painted 2000 above
/// its surroundings with a little texture; a click inside gives back the field's outline.
@Suite struct SegmentRouteTests {
    /// The field's corners in pixels (col, row), counter-clockwise in the image.
    static let field = [(20.0, 20.0), (100.0, 30.0), (90.0, 100.0), (30.0, 90.0)]

    static func inField(_ x: Double, _ y: Double) -> Bool {
        // Inside a convex polygon: on the same side of every edge.
        let corners = field + [field[0]]
        let sides = (0..<4).map { index -> Double in
            let (a, b) = (corners[index], corners[index + 1])
            return (b.0 - a.0) * (y - a.1) - (b.1 - a.1) * (x - a.0)
        }
        return sides.allSatisfy { $0 >= 0 } || sides.allSatisfy { $0 <= 0 }
    }

    static func paintedScene(_ path: String) throws {
        let size = Size(width: 256, height: 256)
        let raster = try Raster.create(path, driver: "GTiff", size: size, bandCount: 6, dataType: .uint16)
        try raster.setGeoTransform(GeoTransform([600_000, 10, 0, 4_300_000, 0, -10]))
        try raster.setCRS(try CRS("EPSG:32610"))
        var values = [UInt16](repeating: 0, count: size.width * size.height * 6)
        for band in 0..<6 {
            for row in 0..<size.height {
                for col in 0..<size.width {
                    let texture = UInt16((col * 31 + row * 17 + band * 7) % 61)
                    let base: UInt16 = inField(Double(col) + 0.5, Double(row) + 0.5) ? 3000 : 1000
                    values[band * size.width * size.height + row * size.width + col] = base + UInt16(band) * 100 + texture
                }
            }
        }
        try raster.write(values, window: Window(col: 0, row: 0, width: size.width, height: size.height))
        try raster.close()
    }

    @Test func aClickInsideAFieldGivesItsOutline() async throws {
        let folder = try TemporaryDirectory("segment")
        try Self.paintedScene(folder.file("painted.tif"))
        let world = try await TestWorld.make(tileSize: 128, scenePath: folder.file("painted.tif"), bandRoles: [:])
        let annotator = try await world.service.authenticate(token: world.annotator)
        let first = try #require(world.tasksA.first { $0.window.col == 0 && $0.window.row == 0 })
        let held = try #require(try await world.service.claim(projectId: world.projectA, skipping: Set(world.tasksA.map(\.id)).subtracting([first.id]),
                                                              by: annotator))
        let path = "/api/v1/tasks/\(held.id)/segment"
        try await world.test { client in
            let reply = try await client.call(.post, path, token: world.annotator, json: ["point": [60.5, 60.5], "crs": "pixel"])
            #expect(reply.status == .ok, "\(reply.object)")
            let geometry = try #require(reply.object["geometry"] as? [String: Any])
            let rings = try #require(geometry["coordinates"] as? [[[Double]]])
            let outline = MultiPolygon(Polygon(rings: rings.map { $0.map { Point(x: $0[0], y: $0[1]) } }))
            let truth = MultiPolygon(Polygon(rings: [(Self.field + [Self.field[0]]).map { Point(x: $0.0, y: $0.1) }]))
            let shared = try outline.intersection(truth).area
            let iou = shared / (outline.area + truth.area - shared)
            #expect(iou >= 0.9, "IoU \(iou)")
            #expect(outline.allPoints.allSatisfy { (-32...160).contains($0.x) && (-32...160).contains($0.y) }, "inside the task and its margin")
            #expect((reply.object["properties"] as? [String: Any])?["crs"] as? String == "pixel")

            // The same click in lon/lat gives the same ground.
            let lonLat = try GDALTools.toLonLat(fromEPSG: 32610, [Point(x: 600_000 + 60.5 * 10, y: 4_300_000 - 60.5 * 10)])[0]
            let wgs84 = try await client.call(.post, path, token: world.reviewer, json: ["point": [lonLat.x, lonLat.y]])
            #expect(wgs84.status == .ok && (wgs84.object["properties"] as? [String: Any])?["pixels"] as? Int
                    == (reply.object["properties"] as? [String: Any])?["pixels"] as? Int, "\(wgs84.object)")

            for (body, named) in [(["point": [200.5, 60.5], "crs": "pixel"], "outside task"), (["point": [60.5, 60.5], "crs": "pixel", "tolerance": 9], "tolerance"),
                                  (["point": [60.5], "crs": "pixel"], "point"), (["point": [60.5, 60.5], "crs": "mercator"], "crs"),
                                  (["point": [200, 95]], "longitude, latitude"),
                                  (["point": [5.2e142, 5.3e-145], "crs": "pixel"], "outside task"), (["point": [-4e-41, 2.1e208], "crs": "scene"], "outside task")] as [([String: Any], String)] {
                let refused = try await client.call(.post, path, token: world.annotator, json: body)
                #expect(refused.status == .badRequest && refused.reason.contains(named), "\(body): \(refused.object)")
            }
            #expect(try await client.call(.post, path, token: world.annotator2, json: ["point": [60.5, 60.5], "crs": "pixel"]).status == .conflict)
            #expect(try await client.call(.post, path, token: world.trainer, json: ["point": [60.5, 60.5], "crs": "pixel"]).status == .forbidden)
            #expect(try await client.call(.post, path, token: world.outsider, json: ["point": [60.5, 60.5], "crs": "pixel"]).status == .notFound)
        }
    }
}
