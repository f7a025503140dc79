import Foundation
import Testing
import SwathGeo
@testable import SwathLabels
import SwathServerTestSupport
import SwathTestSupport

/// What a member can do with the workflow itself: lie about time, race a
/// revocation, and lose nothing when the server stops between a submission
/// and its checks.
@Suite struct HostileWorkflowTests {
    static func square(seconds: Double) -> [String: Any] {
        ["type": "FeatureCollection", "features": [[
            "type": "Feature", "geometry": ["type": "Polygon", "coordinates": [pixelSquare(10, 10, 30)]],
            "properties": ["class": "cropland", "secondsSpent": seconds]]]]
    }

    /// The page may claim a day of work; the server saw one second.
    @Test func theSpeedCheckBelievesTheServerNotTheClient() async throws {
        let world = try await TestWorld.make()
        try await world.test { client in
            let claimed = try await client.call(.post, "/api/v1/projects/\(world.projectA)/tasks/claim", token: world.annotator)
            let task = try #require(claimed.object["id"] as? Int)
            let saved = try await client.call(.put, "/api/v1/tasks/\(task)/labels?crs=pixel", token: world.annotator, json: Self.square(seconds: 86_400))
            #expect(saved.status == .ok, "\(saved.text)")
            world.clock.advance(seconds: 1)
            #expect(try await client.call(.post, "/api/v1/tasks/\(task)/submit", token: world.annotator).status == .ok)
            let flags = try await world.service.store.flags(taskId: Int64(task))
            #expect(flags.map(\.kind) == [.implausibleSpeed])
            #expect(flags.first?.evidence == "1.0 s for 4 vertices: 0.25 s per vertex, under 0.40")
        }
    }

    /// A stop between the submit's commit and its checks: the submission is
    /// queued with the submit and its checks recorded later, exactly once.
    @Test func checksInterruptedByAStopAreRecordedLaterOnce() async throws {
        let world = try await TestWorld.make()
        let annotator = try await world.service.authenticate(token: world.annotator)
        let task = try #require(try await world.service.claim(projectId: world.projectA, by: annotator))
        let body = try JSONParser.parse(Array(try JSONSerialization.data(withJSONObject: Self.square(seconds: 0))))
        _ = try await world.service.saveLabels(taskId: task.id, try GeoJSONFeatureCollection(json: body), space: .pixel, by: annotator)
        world.clock.advance(seconds: 1)  // 0.25 s per vertex: too fast
        // What `submit` commits, without what follows it: as if the process died there.
        _ = try await world.service.store.submit(taskId: task.id, userId: annotator.id, at: world.clock.now)
        let pending = try await world.service.store.pendingSubmissions(limit: 10)
        #expect(pending == [PendingSubmission(taskId: task.id, userId: annotator.id, secondsOnTask: 1, submittedAt: world.clock.now)])
        #expect(try await world.service.store.flags(taskId: task.id).isEmpty)
        #expect(try await world.service.finishPendingSubmissions() == 1)
        #expect(try await world.service.store.flags(taskId: task.id).map(\.kind) == [.implausibleSpeed])
        #expect(try await world.service.store.pendingSubmissions(limit: 10).isEmpty)
        // A second server draining the same queue records nothing twice.
        #expect(try await world.service.finishPendingSubmissions() == 0)
        let stale = try #require(pending.first)
        #expect(try await world.service.store.finishSubmission(stale, flags: [], fingerprints: [], gold: nil, at: world.clock.now) == nil)
        #expect(try await world.service.store.flags(taskId: task.id).count == 1)
    }

    /// A lookup that read the database just before a revocation committed must not cache the revoked token.
    @Test func aRevocationRacingALookupIsNotUndone() throws {
        let cache = TokenCache()
        let user = User(id: 7, name: "eve", isAdmin: false, createdAt: Date())
        let generation = cache.generation           // the lookup starts and reads the database…
        cache.forget(userId: user.id)                // …the revocation commits…
        cache.remember(user, hash: "h", now: Date(), ifGeneration: generation)  // …and the lookup tries to cache.
        #expect(cache.user(hash: "h", now: Date()) == nil)
        cache.remember(user, hash: "h", now: Date(), ifGeneration: cache.generation)
        #expect(cache.user(hash: "h", now: Date()) == user)
    }

    /// A value JSON cannot hold (a NaN in a geotransform GDAL read from a registered file) is an error, not a trap.
    @Test func whatJSONCannotHoldIsRefusedNotATrap() throws {
        #expect(throws: LabelingError.self) { try SQLiteStore.json([0.5, Double.nan, 10]) }
        #expect(try SQLiteStore.json([0.5, 10]) == "[0.5,10]")
    }

    @Test func aRevokedBootstrapTokenIsReportedNotRecreated() async throws {
        let world = try await TestWorld.make()
        let token = String(repeating: "b", count: 32)
        let admin = try await world.service.ensureAdmin(token: token)
        try await world.service.revokeTokens(userId: admin.id, by: .commandLine)
        await #expect { try await world.service.ensureAdmin(token: token) } throws: { error in
            guard case LabelingError.conflict(let reason) = error else { return false }
            return reason.contains("SWATH_ADMIN_TOKEN was revoked")
        }
        await #expect(throws: LabelingError.self) { try await world.service.authenticate(token: token) }
    }
}
