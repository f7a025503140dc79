import Foundation
import Testing
import SwathGeo
import SwathLabels
import SwathServerTestSupport
import SwathTestSupport

/// Numbers an annotator or manager can put in a request that once trapped an
/// integer conversion or reached a force unwrap: each must be a 400 or 422
/// naming what is wrong, and the server must answer the next request.
@Suite struct HostileNumberTests {
    /// A label body with `feature` as its only feature's extra JSON (raw text, so non-JSON numbers can be sent).
    static func body(properties: String = #""class": "cropland""#, id: String? = nil,
                     coordinates: String = "[[10,10],[40,10],[40,40],[10,40],[10,10]]") -> [UInt8] {
        let idMember = id.map { "\"id\": \($0), " } ?? ""
        return Array("""
        {"type": "FeatureCollection", "features": [{"type": "Feature", \(idMember)"properties": {\(properties)},
         "geometry": {"type": "Polygon", "coordinates": [\(coordinates)]}}]}
        """.utf8)
    }

    static let hostileBodies: [(String, [UInt8])] = [
        ("class as a huge number", body(properties: #""class": 1e300"#)),
        ("class as a huge negative number", body(properties: #""class": -9.3e18"#)),
        ("class with a fraction", body(properties: #""class": 40.5"#)),
        ("class that overflows a double", body(properties: #""class": 1e400"#)),
        ("feature id as a huge number", body(id: "1e300")),
        ("feature id past Int64", body(id: "9223372036854775808")),
        ("feature id negative", body(id: "-1")),
        ("attribute that overflows", body(properties: #""class": "cropland", "attributes": {"height": 1e999}"#)),
        ("secondsSpent huge", body(properties: #""class": "cropland", "secondsSpent": 1e308"#)),
        ("secondsSpent negative", body(properties: #""class": "cropland", "secondsSpent": -5"#)),
        ("a coordinate that overflows", body(coordinates: "[[10,10],[1e400,10],[40,40],[10,10]]")),
        ("a coordinate of 1e308", body(coordinates: "[[10,10],[1e308,10],[40,40],[10,10]]")),
        ("NaN as a word", body(coordinates: "[[10,10],[NaN,10],[40,40],[10,10]]")),
        ("Infinity as a word", body(properties: #""class": Infinity"#)),
        ("nested ten thousand deep", Array(String(repeating: "[", count: 10_000).utf8)),
        ("a string with a lone surrogate", body(properties: #""class": "\ud800""#)),
    ]

    @Test func labelBodiesWithHostileNumbersAreRefused() async throws {
        let world = try await TestWorld.make()
        try await world.test { client in
            let claimed = try await client.call(.post, "/api/v1/projects/\(world.projectA)/tasks/claim", token: world.annotator)
            let task = try #require(claimed.object["id"] as? Int)
            for (name, body) in Self.hostileBodies {
                let reply = try await client.call(.put, "/api/v1/tasks/\(task)/labels?crs=pixel", token: world.annotator, raw: body)
                #expect([.badRequest, .unprocessableContent].contains(reply.status), "\(name): \(reply.status) \(reply.text)")
                #expect(!reply.reason.isEmpty, "\(name): no reason given")
            }
            // Managers reach the same reader through gold labels.
            let other = try #require(world.tasksA.first { $0.id != Int64(task) }).id
            for (name, body) in Self.hostileBodies {
                let reply = try await client.call(.put, "/api/v1/tasks/\(other)/gold?crs=pixel", token: world.manager, raw: body)
                #expect([.badRequest, .unprocessableContent].contains(reply.status), "gold, \(name): \(reply.status) \(reply.text)")
            }
            // Still serving, and a sound save still works.
            let saved = try await client.call(.put, "/api/v1/tasks/\(task)/labels?crs=pixel", token: world.annotator, raw: Self.body())
            #expect(saved.status == .ok, "\(saved.text)")
        }
    }

    @Test func queryNumbersAreExactOrRefused() async throws {
        let world = try await TestWorld.make()
        let p = world.projectA
        let refused: [(String, String)] = [
            ("/api/v1/projects/\(p)/audit?limit=99999999999999999999", world.manager),
            ("/api/v1/projects/\(p)/audit?limit=ten", world.manager),
            ("/api/v1/projects/\(p)/audit?after=-1", world.manager),
            ("/api/v1/projects/\(p)/audit?limit=0", world.manager),
            ("/api/v1/projects/\(p)/tasks?status=submitted&limit=1e3", world.reviewer),
            ("/api/v1/projects/\(p)/tasks?status=submitted&limit=-4", world.reviewer),
            ("/api/v1/projects/\(p)/labels?bbox=nan,0,1,1", world.reviewer),
            ("/api/v1/projects/\(p)/labels?bbox=0,0,inf,1", world.reviewer),
            ("/api/v1/projects/\(p)/labels?bbox=0,0,1", world.reviewer),
            ("/api/v1/projects/\(p)/labels?limit=100000000000", world.reviewer),
            ("/api/v1/projects/\(p)/chips?limit=x", world.trainer),
        ]
        try await world.test { client in
            for (path, token) in refused {
                let reply = try await client.call(.get, path, token: token)
                #expect(reply.status == .badRequest, "\(path): \(reply.status) \(reply.text)")
            }
            let claim = "/api/v1/projects/\(p)/tasks/claim?skip="
            #expect(try await client.call(.post, claim + "99999999999999999999", token: world.annotator).status == .badRequest)
            #expect(try await client.call(.post, claim + (1...101).map(String.init).joined(separator: ","), token: world.annotator).status == .badRequest)
            #expect(try await client.call(.get, "/api/v1/me", token: world.annotator).status == .ok)
        }
    }
}
