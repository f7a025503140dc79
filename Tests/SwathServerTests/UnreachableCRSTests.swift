import Foundation
import HummingbirdTesting
import Testing
import SwathGeo
import SwathLabels
import SwathTestSupport

/// A scene in a CRS that cannot reach WGS84 (Mars) cannot be labeled: registering it is refused with the reason
/// (400), and nothing of it is kept.
@Suite struct UnreachableCRSTests {
    @Test func aMartianSceneIsRefusedWithTheReason() async throws {
        let world = try await TestWorld.make()
        let path = world.directory.file("mars.tif")
        let made = try Shell.run("gdal_translate", ["-q", "-a_srs", "IAU_2015:49910", "-a_ullr", "0", "100000", "100000", "0",
                                                    Fixture.path("antimeridian.tif"), path])
        #expect(made.status == 0, "\(made.stderr)")
        try await world.test { client in
            let before = try await client.call(.get, "/api/v1/projects/\(world.projectA)/scenes", token: world.manager)
            let reply = try await client.call(.post, "/api/v1/projects/\(world.projectA)/scenes", token: world.manager, json: ["uri": path])
            #expect(reply.status == .badRequest, "\(reply.text)")
            #expect(reply.reason.contains("has no footprint in WGS84") && reply.reason.contains("celestial body"), "\(reply.reason)")
            let after = try await client.call(.get, "/api/v1/projects/\(world.projectA)/scenes", token: world.manager)
            #expect(after.array.count == before.array.count, "nothing registered")
        }
    }
}
