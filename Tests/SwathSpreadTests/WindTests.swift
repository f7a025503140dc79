import Testing
import SwathSpread

/// Wind speed, direction and alignment, by hand.
@Suite struct WindTests {
    @Test func componentsGiveSpeedAndDirection() {
        let wind = Wind(u: 3, v: 4)
        #expect(wind.speed == 5 && abs(wind.towardSin - 0.6) < 1e-6 && abs(wind.towardCos - 0.8) < 1e-6)
        #expect(Wind(u: 0, v: 0).towardSin.isNaN, "calm air has no direction")
    }

    @Test func aWesterlyPushesEast() {
        let westerly = Wind(speed: 10, fromDegrees: 270)
        #expect(abs(westerly.towardSin - 1) < 1e-6 && abs(westerly.towardCos) < 1e-6)
        let northerly = Wind(speed: 2, fromDegrees: 0)
        #expect(abs(northerly.towardCos + 1) < 1e-6, "from the north, toward the south")
    }

    @Test func alignmentIsTheCosineBetweenDirections() {
        let east = Wind(u: 5, v: 0)
        #expect(abs(east.alignment(sin: 1, cos: 0) - 1) < 1e-6)
        #expect(abs(east.alignment(sin: 0, cos: 1)) < 1e-6)
        #expect(abs(east.alignment(sin: -2, cos: 0) + 1) < 1e-6, "against it, whatever the other's length")
        // 45° apart: cos 45°.
        #expect(abs(east.alignment(sin: 1, cos: 1) - Float(0.5).squareRoot()) < 1e-6)
        #expect(east.alignment(sin: 0, cos: 0).isNaN)
    }
}
