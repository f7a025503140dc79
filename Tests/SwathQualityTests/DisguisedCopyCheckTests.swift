import Foundation
import Testing
import SwathGeo
import SwathQuality

/// Disguised copies: the registered shape survives what a copier does to
/// dodge the exact fingerprint, and a standard shape needs a second coincidence.
@Suite struct DisguisedCopyCheckTests {
    /// A distinctive outline: a burn scar with 16 lobes of different reach, about 120 px across, in scene pixels.
    static let scar: [Point] = (0..<16).map { index in
        let reach = 2 * [30.0, 22, 27, 14, 25, 31, 18, 26, 12, 24, 29, 20, 16, 28, 23, 19][index]
        let angle = 2 * Double.pi * Double(index) / 16
        return Point(x: 200 + reach * cos(angle), y: 300 - reach * sin(angle))
    }

    static func shape(_ ring: [Point]) -> MultiPolygon { MultiPolygon(Polygon(rings: [ring + [ring[0]]])) }

    /// What a copier does: jitter each vertex by `jitter` px (Gaussian), start elsewhere, run the other way,
    /// add a vertex, and move the whole by (dx, dy).
    static func disguised(_ ring: [Point], jitter: Double, dx: Double, dy: Double, seed: UInt64) -> [Point] {
        var random = SeededGenerator(seed: seed)
        var copy = ring.map { Point(x: $0.x + random.gaussian(jitter) + dx, y: $0.y + random.gaussian(jitter) + dy) }
        copy = Array(copy[5...] + copy[..<5]).reversed()
        copy.insert(Point(x: (copy[0].x + copy[1].x) / 2, y: (copy[0].y + copy[1].y) / 2), at: 1)
        return copy
    }

    static func indexed(_ ring: [Point], label: Int64, task: Int64, scene: Int64 = 1, project: Int64 = 1) throws -> IndexedShape {
        IndexedShape(labelId: label, projectId: project, sceneId: scene, taskId: task, userId: 9, classId: 40,
                     signature: try #require(ShapeSignature(pixelShape: shape(ring))))
    }

    @Test func signatureIgnoresStartDirectionAndVertexCount() throws {
        let original = try #require(ShapeSignature(pixelShape: Self.shape(Self.scar)))
        let restarted = try #require(ShapeSignature(pixelShape: Self.shape(Array((Self.scar[7...] + Self.scar[..<7]).reversed()))))
        #expect(original.residual(to: restarted) < 0.01)
        #expect(abs(original.area - restarted.area) < 1e-9)
        #expect(!original.isStandard)
        // The shoelace area by hand for a square, and its box fill of 1.
        let square = try #require(ShapeSignature(pixelShape: .rectangle(minX: 0, minY: 0, maxX: 20, maxY: 20)))
        #expect(abs(square.area - 400) < 1e-9 && abs(square.boxFill - 1) < 1e-9 && square.isStandard)
    }

    @Test func jitteredRestartedCopyOfADistinctiveOutlineIsFlagged() throws {
        let check = DisguisedCopyCheck()
        let source = try Self.indexed(Self.scar, label: 1, task: 10)
        for seed in 1...50 as ClosedRange<UInt64> {
            let copy = try #require(ShapeSignature(pixelShape: Self.shape(Self.disguised(Self.scar, jitter: 1.5, dx: 128, dy: -256, seed: seed))))
            let found = check.findings(submitted: [copy], classes: Array(repeating: 40, count: [copy].count), userId: 5, projectId: 1, sceneId: 1, taskId: 11, candidates: [source])
            #expect(found.count == 1, "seed \(seed): residual \(copy.residual(to: source.signature)), tolerance \(copy.tolerance(with: source.signature))")
            #expect(found.first?.evidence.contains("label 1 in task 10") == true)
        }
    }

    @Test func aDifferentDistinctiveOutlineOfTheSameSizeIsNotACopy() throws {
        var random = SeededGenerator(seed: 11)
        let check = DisguisedCopyCheck()
        let source = try Self.indexed(Self.scar, label: 1, task: 10)
        for _ in 0..<200 {
            var other: [Point] = []
            for index in 0..<16 {
                let reach = random.uniform(24...62), angle = 2 * Double.pi * Double(index) / 16
                other.append(Point(x: 500 + reach * cos(angle), y: 300 - reach * sin(angle)))
            }
            let signature = try #require(ShapeSignature(pixelShape: Self.shape(other)))
            #expect(check.findings(submitted: [signature], classes: Array(repeating: 40, count: [signature].count), userId: 5, projectId: 1, sceneId: 1, taskId: 11, candidates: [source]).isEmpty)
        }
    }

    @Test func redrawOnTheSameGroundIsNotACopy() throws {
        // A second annotator's tracing of the same scar, in an overlapping task of the same scene.
        let redraw = try #require(ShapeSignature(pixelShape: Self.shape(Self.disguised(Self.scar, jitter: 1.0, dx: 0.5, dy: -0.5, seed: 4))))
        let source = try Self.indexed(Self.scar, label: 1, task: 10)
        #expect(DisguisedCopyCheck().findings(submitted: [redraw], classes: Array(repeating: 40, count: [redraw].count), userId: 5, projectId: 1, sceneId: 1, taskId: 11, candidates: [source]).isEmpty)
        // The same outline in the same task (a consensus co-annotator) is never a copy either.
        #expect(DisguisedCopyCheck().findings(submitted: [redraw], classes: Array(repeating: 40, count: [redraw].count), userId: 5, projectId: 1, sceneId: 1, taskId: 10, candidates: [source]).isEmpty)
    }

    @Test func standardShapesNeedASecondCoincidence() throws {
        let check = DisguisedCopyCheck()
        func box(_ x: Double, _ y: Double) -> [Point] { [Point(x: x, y: y), Point(x: x + 20, y: y), Point(x: x + 20, y: y + 12), Point(x: x, y: y + 12)] }
        let earlier = [try Self.indexed(box(10, 10), label: 1, task: 10), try Self.indexed(box(60, 40), label: 2, task: 10)]
        // One same-size rectangle on other ground: a coincidence.
        let one = try #require(ShapeSignature(pixelShape: Self.shape(box(300, 500))))
        #expect(check.findings(submitted: [one], classes: Array(repeating: 40, count: [one].count), userId: 5, projectId: 1, sceneId: 1, taskId: 11, candidates: earlier).isEmpty)
        // Two rectangles moved together by (290, 490), each jittered: the layout is the evidence.
        var random = SeededGenerator(seed: 2)
        let moved = [box(300, 500), box(350, 530)].map { ring in ring.map { Point(x: $0.x + random.gaussian(1.5), y: $0.y + random.gaussian(1.5)) } }
        let pair = try moved.map { try #require(ShapeSignature(pixelShape: Self.shape($0))) }
        let found = check.findings(submitted: pair, classes: Array(repeating: 40, count: pair.count), userId: 5, projectId: 1, sceneId: 1, taskId: 11, candidates: earlier)
        #expect(found.count == 1 && found[0].outlines == [0, 1])
        #expect(found.first?.evidence.contains("labels 1 and 2 in task 10") == true)
        // The same two rectangles, but not moved together: two coincidences of no common layout.
        let apart = try [box(300, 500), box(420, 700)].map { try #require(ShapeSignature(pixelShape: Self.shape($0))) }
        #expect(check.findings(submitted: apart, classes: Array(repeating: 40, count: apart.count), userId: 5, projectId: 1, sceneId: 1, taskId: 11, candidates: earlier).isEmpty)
    }

    @Test func aLayoutMustCarryTheEarlierWorkAlong() throws {
        let check = DisguisedCopyCheck()
        func box(_ x: Double, _ y: Double) -> [Point] { [Point(x: x, y: y), Point(x: x + 40, y: y), Point(x: x + 40, y: y + 24), Point(x: x, y: y + 24)] }
        let corners = [(10.0, 10.0), (120.0, 40.0), (15.0, 150.0), (160.0, 180.0)]
        let earlier = try corners.map { try #require(ShapeSignature(pixelShape: Self.shape(box($0.0, $0.1)))) }
        // The whole tile pasted (290, 490) away, each box jittered by 1.5 px: all four sit on the earlier four.
        var random = SeededGenerator(seed: 3)
        let pasted = try corners.map { corner in
            try #require(ShapeSignature(pixelShape: Self.shape(box(corner.0 + 290, corner.1 + 490).map {
                Point(x: $0.x + random.gaussian(1.5), y: $0.y + random.gaussian(1.5)) })))
        }
        let shift = Point(x: pasted[0].centre.x - earlier[0].centre.x, y: pasted[0].centre.y - earlier[0].centre.y)
        let whole = check.layoutSupport(submitted: pasted, source: earlier, anchor: pasted[0].centre, shift: shift)
        #expect(whole == 4)
        #expect(DisguisedCopyCheck.isCopiedLayout(support: whole, sourceCount: 4, submittedCount: 4))
        // Two of them sitting as two of the earlier four did, beside two drawn elsewhere: a coincidence.
        let others = try [(400.0, 300.0), (460.0, 380.0)].map { try #require(ShapeSignature(pixelShape: Self.shape(box($0.0, $0.1)))) }
        let partial = check.layoutSupport(submitted: Array(pasted[0..<2]) + others, source: earlier, anchor: pasted[0].centre, shift: shift)
        #expect(partial == 2)
        #expect(!DisguisedCopyCheck.isCopiedLayout(support: partial, sourceCount: 4, submittedCount: 4), "two of four is not most of either")
        #expect(DisguisedCopyCheck.isCopiedLayout(support: 2, sourceCount: 2, submittedCount: 3), "a two-object tile pasted whole")
        #expect(!DisguisedCopyCheck.isCopiedLayout(support: 2, sourceCount: 4, submittedCount: 3), "two of three on two of four: chance")
    }

    @Test func pairKeysFindTheLayoutAcrossBins() throws {
        let a = try #require(ShapeSignature(pixelShape: Self.shape(Self.scar)))
        let b = try #require(ShapeSignature(pixelShape: .rectangle(minX: 250, minY: 320, maxX: 270, maxY: 332)))
        let key = ShapePairKey(from: a, to: b)
        // By hand: centres (200.x, 300.x) and (260, 326) are about (60, 26) apart: bins of 4 px.
        #expect(key.dxBin == Int(((b.centre.x - a.centre.x) / 4).rounded(.down)) && (14...15).contains(key.dxBin))
        #expect(ShapePairKey.pairs([a, b]).map { [$0.first, $0.second] } == [[0, 1], [1, 0]])
        let packed = try #require(ShapeSignature(packed: a.packed))
        #expect(packed == a)
    }

    @Test func sourcesInAnotherProjectAreNotNamed() throws {
        let source = try Self.indexed(Self.scar, label: 77, task: 99, scene: 5, project: 2)
        let copy = try #require(ShapeSignature(pixelShape: Self.shape(Self.disguised(Self.scar, jitter: 1.5, dx: 10, dy: 10, seed: 1))))
        let found = DisguisedCopyCheck().findings(submitted: [copy], classes: Array(repeating: 40, count: [copy].count), userId: 5, projectId: 1, sceneId: 1, taskId: 11, candidates: [source])
        #expect(found.count == 1)
        #expect(found.first?.evidence.contains("an outline in another project") == true)
        #expect(found.first?.evidence.contains("77") == false && found.first?.evidence.contains("99") == false)
    }
}

extension DisguisedCopyCheckTests {
    @Test func workOnGroundSomeoneElseDrewIsNotTheCopy() throws {
        func box(_ x: Double, _ y: Double) -> [Point] { [Point(x: x, y: y), Point(x: x + 20, y: y), Point(x: x + 20, y: y + 12), Point(x: x, y: y + 12)] }
        // A copier traced (10, 10) and (60, 40) in task 10, then pasted both into task 30 at (+300, +500).
        let traced = [try Self.indexed(box(10, 10), label: 1, task: 10), try Self.indexed(box(60, 40), label: 2, task: 10)]
        let pasted = [try Self.indexed(box(310, 510), label: 3, task: 30), try Self.indexed(box(360, 540), label: 4, task: 30)]
        // An honest co-annotator of task 10 traces the same ground later: it matches the paste by layout,
        // but the copier's own tracing of this ground (another user) corroborates it.
        let honest = try [box(10.4, 9.7), box(60.3, 40.2)].map { try #require(ShapeSignature(pixelShape: Self.shape($0))) }
        let check = DisguisedCopyCheck()
        #expect(check.findings(submitted: honest, classes: [40, 40], userId: 5, projectId: 1, sceneId: 1, taskId: 10,
                               candidates: traced + pasted).isEmpty)
        // The paste itself, checked against the tracing, is a copy.
        let paste = try [box(310, 510), box(360, 540)].map { try #require(ShapeSignature(pixelShape: Self.shape($0))) }
        #expect(check.findings(submitted: paste, classes: [40, 40], userId: 9, projectId: 1, sceneId: 1, taskId: 30,
                               candidates: traced).count == 1)
    }
}
