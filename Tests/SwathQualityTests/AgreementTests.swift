import Foundation
import SwathGeo
@testable import SwathQuality
import Testing

/// Polygon agreement: the optimal assignment against brute force, and IoU,
/// F1 and area agreement worked out by hand on squares.
@Suite struct AgreementTests {
    @Test func assignmentIsOptimalAgainstBruteForce() throws {
        var generator = SeededGenerator(seed: 42)
        for (rows, columns) in [(4, 4), (5, 5), (3, 6), (6, 3), (1, 4), (5, 1)] {
            for _ in 0..<20 {
                let cost = (0..<rows).map { _ in (0..<columns).map { _ in Double(Int.random(in: 0...99, using: &generator)) } }
                let assignment = Assignment.minimumCost(cost)
                var ours = 0.0
                for (row, column) in assignment.enumerated() { if let column { ours += cost[row][column] } }
                #expect(Set(assignment.compactMap { $0 }).count == min(rows, columns), "one-to-one")
                #expect(ours == Self.bruteForce(cost), "\(cost)")
            }
        }
    }

    /// The cheapest total over every injective pairing of the smaller side.
    static func bruteForce(_ cost: [[Double]]) -> Double {
        let rows = cost.count, columns = cost[0].count
        if rows > columns { return bruteForce((0..<columns).map { j in (0..<rows).map { cost[$0][j] } }) }
        var best = Double.infinity
        func search(_ row: Int, _ used: Set<Int>, _ total: Double) {
            if row == rows { best = min(best, total); return }
            for column in 0..<columns where !used.contains(column) { search(row + 1, used.union([column]), total + cost[row][column]) }
        }
        search(0, [], 0)
        return best
    }

    static func square(_ x: Double, _ y: Double, _ size: Double = 10) -> MultiPolygon {
        MultiPolygon(Polygon(rings: [[Point(x: x, y: y), Point(x: x + size, y: y), Point(x: x + size, y: y + size),
                                      Point(x: x, y: y + size), Point(x: x, y: y)]]))
    }

    @Test func squaresShiftedByTwoMatchAtTwoThirds() throws {
        // Three 10 m squares and the same shifted 2 m east (overlap 80 m² of a 120 m² union), plus one extra.
        let first = [0.0, 20, 40].map { ClassedShape(classId: 40, geometry: Self.square($0, 0)) }
        let second = [2.0, 22, 42].map { ClassedShape(classId: 40, geometry: Self.square($0, 0)) }
            + [ClassedShape(classId: 40, geometry: Self.square(100, 100))]
        let result = try #require(PolygonAgreement.compare(first, second).first)
        #expect(result.matched == 3 && result.onlyFirst == 0 && result.onlySecond == 1)
        #expect(abs(result.meanMatchedIoU! - 80.0 / 120) < 1e-12)
        #expect(abs(result.f1 - 6.0 / 7) < 1e-12)
        // Regions: 300 m² and 400 m², sharing 240: IoU 240 / 460, area agreement 300 / 400.
        #expect(abs(result.regionIoU - 240.0 / 460) < 1e-12)
        #expect(abs(result.areaAgreement - 0.75) < 1e-12)
    }

    /// One strong match beats two weak pairs whose IoUs add up to more.
    @Test func matchingCountsMatchesBeforeTotalIoU() throws {
        let pairs = PolygonAgreement.matches([[0.6, 0.45], [0.45, 0]], threshold: 0.5)
        #expect(pairs.count == 1 && pairs[0].first == 0 && pairs[0].second == 0)
        // Greedy would take 0.9 first and leave nothing for row 1; the optimum takes 0.8 and 0.7.
        let optimal = PolygonAgreement.matches([[0.9, 0.8], [0.7, 0.1]], threshold: 0.5)
        #expect(Set(optimal.map { "\($0.first)-\($0.second)" }) == ["0-1", "1-0"])
    }

    @Test func classesAreComparedSeparatelyAndEmptyIsAgreement() throws {
        let first = [ClassedShape(classId: 10, geometry: Self.square(0, 0)), ClassedShape(classId: 20, geometry: Self.square(50, 0))]
        let second = [ClassedShape(classId: 10, geometry: Self.square(0, 0)), ClassedShape(classId: 30, geometry: Self.square(50, 0))]
        let result = try PolygonAgreement.compare(first, second)
        #expect(result.map(\.classId) == [10, 20, 30])
        #expect(result[0].f1 == 1 && result[0].regionIoU == 1)
        #expect(result[1].f1 == 0 && result[1].onlyFirst == 1 && result[1].areaAgreement == 0)
        #expect(result[2].f1 == 0 && result[2].onlySecond == 1)
        #expect(try PolygonAgreement.compare([], []).isEmpty)
    }
}

/// A repeatable generator (SplitMix64) so a failing case can be reproduced.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Majority consensus worked out by hand on squares.
@Suite struct ConsensusTests {
    static func shape(_ x: Double, _ y: Double, _ size: Double = 10, classId: Int = 40) -> ClassedShape {
        ClassedShape(classId: classId, geometry: AgreementTests.square(x, y, size))
    }

    @Test func threeAnnotatorsKeepWhatTwoAgreeOn() throws {
        // Squares at x 0, 2 and 4: ground covered by at least two of three is x 2…12 (10 m × 10 m = 100 m²).
        let result = try Consensus.majority([[Self.shape(0, 0)], [Self.shape(2, 0)], [Self.shape(4, 0)]])
        #expect(result.count == 1 && result[0].classId == 40)
        #expect(abs(result[0].geometry.area - 100) < 1e-9)
        #expect(try abs(PolygonAgreement.iou(result[0].geometry, AgreementTests.square(2, 0)) - 1) < 1e-9)
    }

    @Test func twoAnnotatorsKeepWhatEitherDrewAndTiesGoToTheLargerClass() throws {
        // Half of two is one vote: class 40's squares at x 0 and 5 merge (150 m²); class 10's stay two squares.
        let result = try Consensus.majority([[Self.shape(0, 0), Self.shape(50, 0, classId: 10)], [Self.shape(5, 0), Self.shape(80, 0, classId: 10)]])
        #expect(result.map(\.classId) == [10, 10, 40])
        #expect(result.filter { $0.classId == 40 }.allSatisfy { abs($0.geometry.area - 150) < 1e-9 })
        // The same square called 40 by one and 10 by the other: a tie; equal areas, so the lower class id keeps it, once.
        let tie = try Consensus.majority([[Self.shape(0, 0)], [Self.shape(0, 0, classId: 10)]])
        #expect(tie.count == 1 && tie[0].classId == 10 && abs(tie[0].geometry.area - 100) < 1e-9)
        // One of three voting for a class is not enough.
        #expect(try Consensus.majority([[Self.shape(0, 0)], [], []]).isEmpty)
    }

    @Test func separatePartsBecomeSeparateLabels() throws {
        let a = [Self.shape(0, 0), Self.shape(100, 0)], b = [Self.shape(1, 0), Self.shape(101, 0)], c = [Self.shape(300, 300)]
        let result = try Consensus.majority([a, b, c])
        #expect(result.count == 2 && result.allSatisfy { abs($0.geometry.area - 90) < 1e-9 })
        #expect(Consensus.combinations(of: [0, 1, 2, 3], size: 2).count == 6)
        #expect(try Consensus.majority([]).isEmpty)
    }
}

/// Copies are found whatever their vertex order, start or position; redrawn shapes are not copies.
@Suite struct ShapeFingerprintTests {
    static func polygon(_ points: [(Double, Double)]) -> MultiPolygon {
        MultiPolygon(Polygon(rings: [(points + [points[0]]).map { Point(x: $0.0, y: $0.1) }]))
    }

    static let field = [(0.0, 0.0), (40.0, 3.0), (47.0, 31.0), (12.0, 44.0), (-5.0, 20.0)]

    @Test func copiesAreFoundWhateverTheOrderStartAndPlace() throws {
        let original = try #require(ShapeFingerprint(Self.polygon(Self.field)))
        let reversed = try #require(ShapeFingerprint(Self.polygon(Self.field.reversed())))
        let rotated = try #require(ShapeFingerprint(Self.polygon(Array(Self.field[2...] + Self.field[..<2]))))
        let moved = try #require(ShapeFingerprint(Self.polygon(Self.field.map { ($0.0 + 5_000, $0.1 - 12_000) })))
        let jittered = try #require(ShapeFingerprint(Self.polygon(Self.field.enumerated().map { ($0.element.0 + (Double($0.offset % 3) - 1) * 0.2,
                                                                                                   $0.element.1 + 0.15) })))
        for copy in [reversed, rotated, moved, jittered] {
            #expect(original.isNearCopy(of: copy, tolerance: 0.5))
        }
        // Vertex centroid (18.8, 19.6): farthest vertex (47, 31) at 30.42, nearest (-5, 20) at 23.80; buckets 1 unit wide.
        let radii = original.radiusBuckets(tolerance: 0.5)
        #expect(radii.reach == 30 && radii.inner == 23)
        for copy in [reversed, rotated, moved, jittered] {
            #expect(abs(original.perimeterBucket(tolerance: 0.5) - copy.perimeterBucket(tolerance: 0.5)) <= 1, "same or neighbouring bucket")
            let (a, b) = (original.radiusBuckets(tolerance: 0.5), copy.radiusBuckets(tolerance: 0.5))
            #expect(abs(a.reach - b.reach) <= 1 && abs(a.inner - b.inner) <= 1, "same or neighbouring radius buckets")
        }
        #expect(original.distance(to: moved) == hypot(5_000, 12_000), "the centroid moved with the copy")
        let stored = ShapeFingerprint(vertices: original.vertices, centroid: original.centroid)
        #expect(stored.isNearCopy(of: moved, tolerance: 0.01) && abs(stored.area - original.area) < 1e-9)
    }

    @Test func redrawnShapesAreNotCopies() throws {
        let original = try #require(ShapeFingerprint(Self.polygon(Self.field)))
        let redrawn = try #require(ShapeFingerprint(Self.polygon(Self.field.map { ($0.0 * 1.05, $0.1) })))
        let moreVertices = try #require(ShapeFingerprint(Self.polygon(Self.field + [(-3.0, 8.0)])))
        #expect(!original.isNearCopy(of: redrawn, tolerance: 0.5))
        #expect(!original.isNearCopy(of: moreVertices, tolerance: 0.5))
        #expect(ShapeFingerprint(Self.polygon([(0, 0), (1, 1), (2, 2)])) == nil, "no area, no fingerprint")
    }
}

/// Speed and degenerate-shape checks with numbers worked out by hand.
@Suite struct WorkCheckTests {
    @Test func speedIsPerVertex() throws {
        let squares = [AgreementTests.square(0, 0), AgreementTests.square(20, 0)]  // 4 + 4 vertices
        let checks = WorkChecks()
        #expect(checks.speed(squares, secondsSpent: 3.2) == nil, "0.4 s per vertex is allowed")
        let flag = checks.speed(squares, secondsSpent: 2)
        #expect(flag?.kind == .implausibleSpeed && flag?.evidence == "2.0 s for 8 vertices: 0.25 s per vertex, under 0.40")
        #expect(checks.speed([], secondsSpent: 0) == nil)
    }

    @Test func sliversAndWholeTilesAreFlagged() throws {
        let tile = AgreementTests.square(0, 0, 100)
        let sliver = try ShapeFingerprintTests.polygon([(0, 50), (100, 50), (100, 50.5), (0, 50.5)]).intersection(AgreementTests.square(1, 0, 98))
        let whole = AgreementTests.square(-1, -1, 102)
        let field = AgreementTests.square(10, 10, 30)
        // What the tile cut left of a road running along its edge: thin, but not drawn thin.
        let edgeStrip = ShapeFingerprintTests.polygon([(0, 0), (100, 0), (100, 0.5), (0, 0.5)])
        let flags = try WorkChecks().degenerate([field, sliver, whole, edgeStrip], tile: tile, edgeMargin: 0.5)
        // The sliver, 98 × 0.5: 4π·49 / 197² = 0.0159; the whole tile: 100% of it.
        #expect(flags.map(\.evidence) == ["polygon 1 is a sliver: compactness 0.0159 (4πA/P²), under 0.02",
                                          "polygon 2 covers 100% of the task's tile"])
        #expect(flags.allSatisfy { $0.kind == .degenerateWork })
    }
}
