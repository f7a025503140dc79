import Foundation
import HummingbirdTesting
import Testing
import SwathGeo
import SwathLabels
import SwathTestSupport

/// Labels on a scene across ±180° (UTM 60N, 179.15° E … 178.71° W): a bbox query whose west edge lies east
/// of its east edge (RFC 7946 §5.2) finds the labels on both sides; bboxes on one side find only theirs; a label
/// that itself crosses ±180° is found from both ends and never from the other side of the world.
@Suite struct AntimeridianLabelTests {
    @Test func bboxQueriesAcrossTheAntimeridianFindBothSides() async throws {
        let world = try await TestWorld.make(tileSize: 64, scenePath: Fixture.path("antimeridian.tif"), bandRoles: [:])
        #expect(world.tasksA.count == 2)
        try await world.test { client in
            // East of 180° (columns 5–15 of the first task) and west of it (the second task, columns 74–84 of the scene).
            var saved: [Int64: Double] = [:]
            for _ in world.tasksA {
                let claim = try await client.call(.post, "/api/v1/projects/\(world.projectA)/tasks/claim", token: world.annotator)
                let task = try #require(claim.object["id"] as? Int64)
                // The first task also gets a square over columns 30–50, across 180° (column ≈ 40).
                let squares = task == world.tasksA[0].id ? [pixelSquare(5, 10, 10), pixelSquare(30, 25, 20)] : [pixelSquare(5, 10, 10)]
                let reply = try await client.call(.put, "/api/v1/tasks/\(task)/labels?crs=pixel", token: world.annotator,
                                                  json: featureCollection(squares))
                #expect(reply.status == .ok, "\(reply.text)")
                let wgs84 = try await client.call(.get, "/api/v1/tasks/\(task)/labels", token: world.annotator)
                let ring = coordinates((wgs84.object["features"] as! [[String: Any]])[0])[0]
                saved[task] = ring.dropLast().map { $0[0] }.reduce(0, +) / Double(ring.count - 1)
                _ = try await client.call(.post, "/api/v1/tasks/\(task)/submit", token: world.annotator)
            }
            let east = try #require(saved.values.first { $0 > 0 }, "\(saved)"), west = try #require(saved.values.first { $0 < 0 }, "\(saved)")
            // The pixel squares' centres through cs2cs, as an independent check of which side each lies on.
            let centres = try GDALTools.toLonLat(fromEPSG: 32660, [Point(x: 610_000, y: 7_235_000), Point(x: 674_000, y: 7_235_000)])
            #expect(abs(east - centres[0].x) < 0.01 && abs(west - centres[1].x) < 0.01, "\(saved) vs \(centres)")

            func found(_ bbox: String) async throws -> Int {
                let reply = try await client.call(.get, "/api/v1/projects/\(world.projectA)/labels?status=all&bbox=\(bbox)", token: world.manager)
                #expect(reply.status == .ok, "\(reply.text)")
                return (reply.object["features"] as? [Any])?.count ?? -1
            }
            #expect(try await found("179,64,-179,66") == 3, "across ±180°: both sides and the label across")
            #expect(try await found("179,64,179.99,66") == 2, "the east square and the crossing one's east end")
            #expect(try await found("-179.5,64,-178,66") == 1)
            #expect(try await found("179.95,64,180,66") == 1, "the crossing label from its east end")
            #expect(try await found("-180,64,-179.97,66") == 1, "and from its west end")
            #expect(try await found("0,64,10,66") == 0, "a label across ±180° is not on the other side of the world")
            #expect(try await found("-179.5,64,179,66") == 1, "west < east: everything but the 1.5° around ±180°, so only the west label")
        }
    }
}
