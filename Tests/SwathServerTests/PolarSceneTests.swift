import Foundation
import HummingbirdTesting
import Testing
import SwathGeo
import SwathLabels
import SwathTestSupport

/// A scene centred on the North Pole (400 km, EPSG:3413, 1 km pixels) registered and cut into 128-pixel tasks: the
/// scene's bbox spans every longitude up to 90° N; the one task holding the pole (pixel 200, 200) does too, its
/// footprint closed along the pole; every other task's footprint agrees with cs2cs at its corners; its Web Mercator
/// tiles are empty (204).
@Suite struct PolarSceneTests {
    @Test func theTaskHoldingThePoleSaysSo() async throws {
        let folder = try TemporaryDirectory("swath-polar-scene")
        let path = try PolarScene.make(epsg: 3413, in: folder)
        let world = try await TestWorld.make(tileSize: 128, scenePath: path, bandRoles: [:])
        let scene = try #require(try await world.service.store.scene(id: world.sceneA))
        #expect(scene.bboxWGS84[0] == -180 && scene.bboxWGS84[2] == 180 && scene.bboxWGS84[3] == 90, "\(scene.bboxWGS84)")
        #expect(world.tasksA.count == 16)
        let polar = world.tasksA.filter { $0.window.col <= 200 && 200 < $0.window.col + $0.window.width && $0.window.row <= 200 && 200 < $0.window.row + $0.window.height }
        #expect(polar.count == 1)
        // Web Mercator stops at 85.05°: every tile of a scene beyond it is empty (204), never a wrong picture.
        try await world.test { client in
            for tile in ["0/0/0", "2/1/0", "4/8/0"] {
                let reply = try await client.call(.get, "/api/v1/scenes/\(world.sceneA)/tiles/\(tile).png", token: world.annotator)
                #expect(reply.status == .noContent, "tile \(tile): \(reply.status)")
            }
        }
        for task in world.tasksA {
            let geometry = try #require(try JSONSerialization.jsonObject(with: Data(task.footprintWGS84.serialized)) as? [String: Any])
            let parts: [[[Double]]] = geometry["type"] as? String == "Polygon"
                ? [((geometry["coordinates"] as? [[[Double]]]) ?? [])[0]]
                : ((geometry["coordinates"] as? [[[[Double]]]]) ?? []).map { $0[0] }
            let positions = parts.flatMap { $0 }
            #expect(positions.allSatisfy { (-180...180).contains($0[0]) && (-90...90).contains($0[1]) })
            if task.id == polar.first?.id {
                #expect(positions.contains { $0[1] == 90 }, "closed along the pole: \(geometry)")
            } else {
                #expect(!positions.contains { $0[1] == 90 }, "task \(task.id) does not hold the pole")
                // Its top-left corner, through cs2cs, is one of its vertices.
                let corner = try GDALTools.toLonLat(fromEPSG: 3413, [Point(x: -200_000 + Double(task.window.col) * 1000,
                                                                             y: 200_000 - Double(task.window.row) * 1000)])[0]
                #expect(positions.contains { abs($0[1] - corner.y) < 1e-7 && abs(abs($0[0] - corner.x).truncatingRemainder(dividingBy: 360)) < 1e-7 },
                        "task \(task.id): \(corner)")
            }
        }
    }
}
