import Foundation
import Testing
import SwathGeo
import SwathQuality

/// The reference check by hand on an L-shaped building (pixels).
@Suite struct ReferenceMatchTests {
    static let building = MultiPolygon(Polygon(rings: [[Point(x: 30, y: 30), Point(x: 70, y: 30), Point(x: 70, y: 55), Point(x: 50, y: 55),
                                                        Point(x: 50, y: 70), Point(x: 30, y: 70), Point(x: 30, y: 30)]]))

    @Test func aShiftedPasteMatchesWithTheShiftMeasured() throws {
        let pasted = Self.building.map { Point(x: $0.x + 2, y: $0.y - 1) }
        let found = try #require(try ReferenceMatch().match(drawn: pasted, reference: Self.building))
        #expect(abs(found.shift - 5.0.squareRoot()) < 1e-9 && abs(found.iou - 1) < 1e-9 && found.worstVertex < 1e-9)
    }

    @Test func aShiftBeyondFourPixelsIsOtherGround() throws {
        #expect(try ReferenceMatch().match(drawn: Self.building.map { Point(x: $0.x + 5, y: $0.y) }, reference: Self.building) == nil)
    }

    @Test func anHonestTracingIsNotAPaste() throws {
        // Every corner off by 0.6 px (one way or the other): IoU stays above 0.9, the corners do not coincide.
        let offsets = [(0.6, 0.0), (0.0, 0.6), (-0.6, 0.0), (0.0, -0.6), (0.6, 0.0), (0.0, 0.6)]
        let ring = Self.building.polygons[0].rings[0].dropLast().enumerated().map { Point(x: $1.x + offsets[$0].0, y: $1.y + offsets[$0].1) }
        let traced = MultiPolygon(Polygon(rings: [ring + [ring[0]]]))
        let shared = try traced.intersection(Self.building).area
        #expect(shared / (traced.area + Self.building.area - shared) > 0.9)
        #expect(try ReferenceMatch().match(drawn: traced, reference: Self.building) == nil)
    }
}
