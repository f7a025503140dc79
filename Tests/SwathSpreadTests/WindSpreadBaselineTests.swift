import Foundation
import Testing
import SwathSpread

/// The wind-and-slope baseline on one burning cell of a 9 × 9 grid (10 m cells), by hand.
@Suite struct WindSpreadBaselineTests {
    func burned(_ mask: [Bool], _ col: Int, _ row: Int) -> Bool { mask[row * 9 + col] }

    @Test func anEastWindPushesEastOnly() {
        var today = [Bool](repeating: false, count: 81)
        today[4 * 9 + 4] = true
        // Reach 20 m = 2 cells, wind toward the east (sin 1, cos 0).
        let grown = WindSpreadBaseline.predict(today: today, width: 9, height: 9, cellSize: 10, reach: 20, push: (east: 1, north: 0))
        #expect(burned(grown, 5, 4) && burned(grown, 6, 4), "downwind: the full 2 cells")
        #expect(!burned(grown, 3, 4) && !burned(grown, 2, 4), "upwind: nothing")
        #expect(burned(grown, 4, 3) && burned(grown, 4, 5), "across the wind: 2 × (1 + 0) / 2 = 1 cell")
        #expect(!burned(grown, 4, 2), "not 2 across")
        // North-east: √2 ≈ 1.41 ≤ 2 × (1 + cos 45°) / 2 ≈ 1.71.
        #expect(burned(grown, 5, 3))
        // Two east, one north: √5 ≈ 2.24 > 2 × (1 + 2/√5) / 2 ≈ 1.89.
        #expect(!burned(grown, 6, 3))
        #expect(grown.filter { $0 }.count == 7, "the cell, 2 east, 1 north, 1 south, north-east and south-east")
    }

    @Test func calmAirGrowsACircle() {
        var today = [Bool](repeating: false, count: 81)
        today[4 * 9 + 4] = true
        let grown = WindSpreadBaseline.predict(today: today, width: 9, height: 9, cellSize: 10, reach: 10, push: nil)
        #expect(grown.filter { $0 }.count == 5, "the cell and its four neighbours (the diagonals are √2 away)")
    }

    @Test func aGentlerPushGrowsAnEgg() {
        var today = [Bool](repeating: false, count: 81)
        today[4 * 9 + 4] = true
        // Push half a unit north (e = 0.5), reach 3 cells: north 3 × 1.5 / 1.5 = 3, south 3 × 0.5 / 1.5 = 1, east and west 3 / 1.5 = 2.
        let grown = WindSpreadBaseline.predict(today: today, width: 9, height: 9, cellSize: 10, reach: 30, push: (east: 0, north: 0.5))
        #expect(burned(grown, 4, 1) && !burned(grown, 4, 0), "north: 3 cells")
        #expect(burned(grown, 4, 5) && !burned(grown, 4, 6), "south: 1 cell")
        #expect(burned(grown, 6, 4) && !burned(grown, 7, 4) && burned(grown, 2, 4) && !burned(grown, 1, 4), "east and west: 2 cells")
    }

    @Test func thePushAddsWindAndSlope() throws {
        // Wind toward the east everywhere; the ground rises 45° to the north (tan 45° = 1) on two cells, flat (NaN aspect) on two.
        let push = try #require(WindSpreadBaseline.push(towardSin: [1, 1, 1, 1], towardCos: [0, 0, 0, 0],
                                                        upslopeSin: [0, 0, .nan, .nan], upslopeCos: [1, 1, .nan, .nan], slopeDegrees: [45, 45, 0, 0]))
        #expect(abs(push.east - 1) < 1e-12 && abs(push.north - 0.5) < 1e-12, "\(push)")
        let slopeOnly = try #require(WindSpreadBaseline.push(towardSin: nil, towardCos: nil, upslopeSin: [1], upslopeCos: [0], slopeDegrees: [30]))
        #expect(abs(slopeOnly.east - tan(Double.pi / 6)) < 1e-6 && abs(slopeOnly.north) < 1e-12)
        #expect(WindSpreadBaseline.push(towardSin: nil, towardCos: nil, upslopeSin: nil, upslopeCos: nil, slopeDegrees: nil) == nil)
    }
}
