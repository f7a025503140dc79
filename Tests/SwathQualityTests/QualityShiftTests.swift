import Testing
import SwathQuality

/// The change-point check worked by hand on short series.
@Suite struct QualityShiftTests {
    @Test func steadyWorkRaisesNothing() {
        let shift = QualityShift()
        #expect(shift.detect([0.9, 0.8, 1.0, 0.9, 0.7, 0.95, 0.85, 0.6, 0.9, 0.88]) == nil)
        #expect(shift.detect([0.9, 0.9, 0.9]) == nil)  // too short for a baseline and a shift
    }

    @Test func aSleeperIsCaughtWhereTheShortfallAddsUp() throws {
        // Baseline 0.9; from task 5 on, 0: each adds 0.9 − 0 − 0.25 = 0.65; past 2.5 on the fourth (2.6).
        let found = try #require(QualityShift().detect([0.9, 0.9, 0.9, 0.9, 0.9, 0, 0, 0, 0, 0, 0]))
        #expect(found.start == 5 && found.index == 8)
        #expect(abs(found.baseline - 0.9) < 1e-12 && abs(found.statistic - 2.6) < 1e-12 && found.shiftedMean == 0)
        // Pressure: 1.3 of 2.5 after two bad tasks.
        #expect(abs(QualityShift().pressure([0.9, 0.9, 0.9, 0.9, 0.9, 0, 0]) - 1.3 / 2.5) < 1e-12)
    }

    @Test func oneBadDayIsAbsorbed() {
        // A single zero adds 0.65, then good days bring the sum back to 0.
        #expect(QualityShift().detect([1, 1, 1, 1, 0, 1, 1, 0, 1, 1, 0.1, 1]) == nil)
    }
}

extension QualityShiftTests {
    @Test func aSeriesThatBeginsBadIsMeasuredAgainstTheFloor() throws {
        // First four average 0.1, under the 0.7 floor: from the first task each 0 adds 0.7 − 0.25 = 0.45 and the 0.4 adds 0.05:
        // 0.45, 0.5, 0.95, 1.4, 1.85, 2.3, then past 2.5 at the seventh (2.75).
        let found = try #require(QualityShift().detect([0, 0.4, 0, 0, 0, 0, 0, 0]))
        #expect(found.start == 0 && found.index == 6 && abs(found.baseline - 0.7) < 1e-12 && abs(found.statistic - 2.75) < 1e-12)
    }
}
