import Testing
import SwathSpread

/// The wind-driven baseline on one burning cell of a 9 × 9 grid (10 m cells), by hand.
@Suite struct WindSpreadBaselineTests {
    func burned(_ mask: [Bool], _ col: Int, _ row: Int) -> Bool { mask[row * 9 + col] }

    @Test func anEastWindPushesEastOnly() {
        var today = [Bool](repeating: false, count: 81)
        today[4 * 9 + 4] = true
        // Reach 20 m = 2 cells, wind toward the east (sin 1, cos 0).
        let grown = WindSpreadBaseline.predict(today: today, width: 9, height: 9, cellSize: 10, reach: 20, towardSin: 1, towardCos: 0)
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
        let grown = WindSpreadBaseline.predict(today: today, width: 9, height: 9, cellSize: 10, reach: 10, towardSin: nil, towardCos: nil)
        #expect(grown.filter { $0 }.count == 5, "the cell and its four neighbours (the diagonals are √2 away)")
    }
}
