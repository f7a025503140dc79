import Testing
import SwathGeo

@Suite struct GeoTransformTests {
    let rotated = GeoTransform([400000, 8.66, 5, 5000000, 5, -8.66])

    @Test func applyIsTheFullAffine() {
        let point = rotated.apply(col: 10, row: 20)
        let expectedX: Double = 400000 + 10 * 8.66 + 20 * 5
        let expectedY: Double = 5000000 + 10 * 5 - 20 * 8.66
        #expect(point.x == expectedX)
        #expect(point.y == expectedY)
    }

    @Test func offsetMovesTheOriginAndKeepsTheRest() {
        let moved = rotated.offset(col: 128, row: 64)
        #expect(moved.apply(col: 0, row: 0) == rotated.apply(col: 128, row: 64))
        let inside = moved.apply(col: 3, row: 7), expected = rotated.apply(col: 131, row: 71)
        #expect(abs(inside.x - expected.x) < 1e-6 && abs(inside.y - expected.y) < 1e-6)
        #expect(Array(moved.coefficients[1...2]) == [8.66, 5])
        #expect(Array(moved.coefficients[4...5]) == [5, -8.66])
    }

    @Test func invertUndoesApply() throws {
        let pixel = try #require(rotated.invert(rotated.apply(col: 12.5, row: 99.25)))
        #expect(abs(pixel.x - 12.5) < 1e-9 && abs(pixel.y - 99.25) < 1e-9)
        #expect(GeoTransform([0, 0, 0, 0, 0, 0]).invert(Point(x: 1, y: 1)) == nil)
    }
}
