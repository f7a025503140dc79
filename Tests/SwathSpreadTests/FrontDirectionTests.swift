import Foundation
import Testing
import SwathGeo
import SwathSpread

/// The direction a front spreads into, by hand: radial away from a one-cell fire (the distance to a point is
/// Euclidean, its gradient the unit vector from the point), straight out of a square fire's sides, and the
/// wind's alignment with it.
@Suite struct FrontDirectionTests {
    let utm = try! CRS("EPSG:32610").wkt

    func grid(_ size: Int) -> FireGrid {
        FireGrid(crsWKT: utm, transform: GeoTransform(originX: 500_000, pixelWidth: 10, originY: 4_000_000, pixelHeight: -10),
                 size: Size(width: size, height: size))
    }

    @Test func awayFromAPointFire() throws {
        let grid = grid(21)
        var burned = [Bool](repeating: false, count: 21 * 21)
        burned[10 * 21 + 10] = true
        let front = try FrontDirection(grid: grid, burned: burned)
        for (col, row) in [(15, 10), (10, 4), (3, 10), (14, 14), (17, 6), (5, 16)] {
            let east = Double(col - 10), north = Double(10 - row), length = hypot(east, north)
            let index = row * 21 + col
            #expect(abs(Double(front.sin[index]) - east / length) < 0.02 && abs(Double(front.cos[index]) - north / length) < 0.02,
                    "(\(col), \(row)): \(front.sin[index]), \(front.cos[index]) against \(east / length), \(north / length)")
        }
    }

    @Test func outOfASquaresSidesAndAlignedWithTheWind() throws {
        let grid = grid(21)
        // Cells 8…12 burned in both directions: a 5 × 5 square in the middle.
        let burned = (0..<(21 * 21)).map { (8...12).contains($0 % 21) && (8...12).contains($0 / 21) }
        let front = try FrontDirection(grid: grid, burned: burned)
        let at = { (col: Int, row: Int) in (front.sin[row * 21 + col], front.cos[row * 21 + col]) }
        #expect(at(14, 10) == (1, 0), "east of the east side, and just inside it")
        #expect(at(12, 10) == (1, 0))
        #expect(at(10, 5) == (0, 1), "north of the north side")
        #expect(at(10, 16) == (0, -1) && at(4, 10) == (-1, 0))
        #expect(at(10, 10).0.isNaN, "the centre: every side as near, no direction")
        // A wind toward the east drives the east front (1), holds back the west one (−1), runs along the north one (0).
        let east = Wind(u: 5, v: 0)
        #expect(east.alignment(sin: at(14, 10).0, cos: at(14, 10).1) == 1 && east.alignment(sin: at(4, 10).0, cos: at(4, 10).1) == -1)
        #expect(abs(east.alignment(sin: at(10, 5).0, cos: at(10, 5).1)) < 1e-6)
    }

    @Test func noFireNoDirection() throws {
        let front = try FrontDirection(grid: grid(5), burned: [Bool](repeating: false, count: 25))
        #expect(front.sin.allSatisfy(\.isNaN) && front.cos.allSatisfy(\.isNaN))
    }
}
