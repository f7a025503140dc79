import Foundation
import Testing
import SwathGeo
import SwathServerTestSupport
import SwathTestSupport

/// Seeded mutations of valid label bodies, thrown at the JSON reader, the
/// GeoJSON reader and the whole label route: no crash, no hang, no 5xx.
/// `SWATH_FUZZ_CASES` sets how many (make test runs 10,000 through the
/// route and ten times as many through the readers; make fuzz more).
@Suite struct LabelBodyFuzzTests {
    static var routeCases: Int { Int(ProcessInfo.processInfo.environment["SWATH_FUZZ_CASES"] ?? "") ?? 10_000 }

    static let seedBody: [UInt8] = Array("""
    {"type": "FeatureCollection", "features": [
      {"type": "Feature", "id": "new-1", "properties": {"class": "cropland", "secondsSpent": 12.5, "attributes": {}},
       "geometry": {"type": "Polygon", "coordinates": [[[10, 10], [40, 10], [40, 40], [10, 40], [10, 10]]]}},
      {"type": "Feature", "properties": {"class": 40},
       "geometry": {"type": "MultiPolygon", "coordinates": [[[[50, 50], [90, 50], [90, 90], [50, 50]]]]}}
    ]}
    """.utf8)

    @Test func readersSurviveMutatedBodies() {
        var mutator = BodyMutator(seed: 0x5EED)
        var parsed = 0
        for _ in 0..<(Self.routeCases * 10) {
            let body = mutator.mutate(Self.seedBody)
            guard let json = try? JSONParser.parse(body) else { continue }
            parsed += 1
            if let collection = try? GeoJSONFeatureCollection(json: json) {
                for feature in collection.features { _ = try? GeoJSONPolygonReader().read(feature.geometry) }
            }
            _ = json.serialized  // what the reader accepted can be written back
        }
        print("fuzz: \(Self.routeCases * 10) mutated bodies through the readers, \(parsed) of them valid JSON")
        #expect(parsed > 0, "no mutation parsed: the mutator is too destructive to test anything")
    }

    @Test func theLabelRouteNeverFailsOnMutatedBodies() async throws {
        let world = try await TestWorld.make()
        let cases = Self.routeCases
        try await world.test { client in
            let claimed = try await client.call(.post, "/api/v1/projects/\(world.projectA)/tasks/claim", token: world.annotator)
            let task = try #require(claimed.object["id"] as? Int)
            var mutator = BodyMutator(seed: 0xF0221)
            var statuses: [Int: Int] = [:]
            for index in 0..<cases {
                let body = mutator.mutate(Self.seedBody)
                let space = index % 3 == 0 ? "wgs84" : "pixel"
                let reply = try await client.call(.put, "/api/v1/tasks/\(task)/labels?crs=\(space)", token: world.annotator, raw: body)
                statuses[Int(reply.status.code), default: 0] += 1
                #expect(reply.status.code < 500, "case \(index): \(reply.status) \(reply.text) for \(String(decoding: body, as: UTF8.self))")
                if reply.status.code >= 500 { break }
            }
            print("fuzz: \(cases) mutated label bodies through PUT /tasks/{id}/labels, statuses \(statuses.sorted { $0.key < $1.key })")
            #expect(statuses.keys.allSatisfy { [200, 400, 413, 422].contains($0) }, "statuses: \(statuses)")
            #expect(try await client.call(.get, "/api/v1/me", token: world.annotator).status == .ok)
        }
    }
}

/// Seeded, reproducible damage to a JSON document: byte flips, spliced
/// tokens chosen to hit number conversion and structure, cut-offs and repeats.
struct BodyMutator {
    var state: UInt64

    init(seed: UInt64) { state = seed }

    static let tokens: [String] = [
        "1e400", "-1e400", "1e308", "-0", "9223372036854775808", "-9223372036854775809", "1e-400", "0.000000000000000000001",
        "NaN", "Infinity", "null", "true", "[]", "{}", "\"\"", "\"\\ud800\"", "\"\\u0000\"", "[[[[[[[[", "]]]]", "{\"a\":",
        "\"Polygon\"", "\"MultiPolygon\"", "\"Point\"", "\"Feature\"", "\"class\"", "\"id\"", "1e300", "4294967296", "65536",
        "[1e400,1]", "[[0,0],[0,0],[0,0],[0,0]]", ",", ":", "\"attributes\":{\"h\":1e999}",
    ]

    /// Replacements that keep the document parseable: numbers and whole values.
    static let validTokens: [String] = [
        "1e308", "-1e308", "-0", "9223372036854775808", "-9223372036854775809", "1e-400", "0.5", "1e300", "4294967296", "65536",
        "-1", "0", "null", "true", "[]", "{}", "\"x\"", "[1e308,1]", "[[0,0],[0,0],[0,0],[0,0]]", "[[[0,0]]]", "3.4028236e38",
    ]

    mutating func next() -> UInt64 {
        state ^= state << 13
        state ^= state >> 7
        state ^= state << 17
        return state
    }

    mutating func below(_ bound: Int) -> Int { Int(next() % UInt64(bound)) }

    /// Half the cases keep the document valid JSON (numbers and values swapped) so they reach the label
    /// checks; the other half damage the bytes to exercise the reader.
    mutating func mutate(_ seed: [UInt8]) -> [UInt8] {
        var bytes = seed
        let structural = below(2) == 0
        for _ in 0...below(4) {
            guard !bytes.isEmpty else { break }
            let at = below(bytes.count)
            switch structural ? 5 : below(6) {
            case 0: bytes[at] = UInt8(truncatingIfNeeded: next())
            case 1: bytes.insert(contentsOf: Array(Self.tokens[below(Self.tokens.count)].utf8), at: at)
            case 2: bytes.removeSubrange(at..<min(bytes.count, at + 1 + below(16)))
            case 3: bytes = Array(bytes.prefix(at))
            case 4:
                let end = min(bytes.count, at + 1 + below(64))
                bytes.insert(contentsOf: bytes[at..<end], at: at)
            default:
                // Swap a number for a hostile one, keeping the document's shape.
                if let digit = bytes[at...].firstIndex(where: { (48...57).contains($0) }) {
                    var end = digit
                    while end < bytes.count, (48...57).contains(bytes[end]) || bytes[end] == 46 { end += 1 }
                    let hostile = structural ? Self.validTokens[below(Self.validTokens.count)] : Self.tokens[below(8)]
                    bytes.replaceSubrange(digit..<end, with: Array(hostile.utf8))
                }
            }
        }
        return bytes
    }
}
