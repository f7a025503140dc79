import Foundation
import Testing
import SwathGeo
import SwathSpread
import SwathTestSupport

/// A fire's grid by hand, its masks against `gdal_rasterize`, windows along the front by hand.
@Suite struct FireGridTests {
    let utm = try! CRS("EPSG:32610").wkt

    @Test func theGridCoversTheFootprintWithAMarginInWholeCells() throws {
        let grid = try FireGrid(footprint: .rectangle(minX: 3, minY: 0, maxX: 300, maxY: 95), crsWKT: utm, resolution: 10, marginCells: 4)
        // West: ⌊(3 − 40) / 10⌋·10 = −40; north: ⌈(95 + 40) / 10⌉·10 = 140; width ⌈(340 + 40) / 10⌉ = 38; height ⌈(140 + 40) / 10⌉ = 18.
        #expect(grid.transform == GeoTransform(originX: -40, pixelWidth: 10, originY: 140, pixelHeight: -10))
        #expect(grid.size == Size(width: 38, height: 18))
        #expect(throws: SpreadError.self) {
            try FireGrid(footprint: .rectangle(minX: 0, minY: 0, maxX: 1e6, maxY: 1e6), crsWKT: utm, resolution: 1, marginCells: 0)
        }
        #expect(throws: SpreadError.self, "too fine to count in an Int: refused, not a crash") {
            try FireGrid(footprint: .rectangle(minX: 0, minY: 0, maxX: 100, maxY: 100), crsWKT: utm, resolution: 1e-15, marginCells: 0)
        }
    }

    @Test func masksAreWhatGdalRasterizeBurns() throws {
        let triangle = MultiPolygon(Polygon(rings: [[Point(x: 600_013, y: 4_300_007), Point(x: 600_377, y: 4_300_041),
                                                      Point(x: 600_152, y: 4_300_288), Point(x: 600_013, y: 4_300_007)]]))
        let grid = try FireGrid(footprint: triangle, crsWKT: utm, resolution: 10, marginCells: 2)
        let mine = try grid.mask(triangle)
        let folder = try TemporaryDirectory("swath-fire-grid")
        let shape = folder.file("triangle.geojson"), burned = folder.file("burned.tif")
        try #"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{},"geometry":{"type":"Polygon","coordinates":[[[600013,4300007],[600377,4300041],[600152,4300288],[600013,4300007]]]}}]}"#
            .write(toFile: shape, atomically: true, encoding: .utf8)
        let c = grid.transform.coefficients
        let run = try Shell.run("gdal_rasterize", ["-q", "-burn", "1", "-ot", "Byte", "-a_srs", "EPSG:32610",
                                                   "-te", "\(c[0])", "\(c[3] + Double(grid.size.height) * c[5])", "\(c[0] + Double(grid.size.width) * c[1])", "\(c[3])",
                                                   "-ts", "\(grid.size.width)", "\(grid.size.height)", shape, burned])
        #expect(run.status == 0, "\(run.stderr)")
        let raster = try Raster.open(burned)
        let reference = try raster.read(raster.bounds, as: UInt8.self).map { $0 != 0 }
        #expect(mine == reference)
        #expect(mine.filter { $0 }.count > 100, "the triangle covers about 420 cells")
    }

    @Test func windowsFollowTheFrontOnePerBlock() {
        let grid = FireGrid(crsWKT: utm, transform: GeoTransform(originX: 0, pixelWidth: 10, originY: 100, pixelHeight: -10),
                            size: Size(width: 10, height: 10))
        var burned = [Bool](repeating: false, count: 100)
        for row in 4...6 { for col in 4...6 { burned[row * 10 + col] = true } }
        // Front: the eight cells round (5, 5). Blocks of 5: (4,4) in block 0; (5,4) in block 1; (4,5) in block 2; (6,5) in block 3.
        #expect(grid.frontWindows(burned, window: 4, stride: 5) == [
            Window(col: 2, row: 2, width: 4, height: 4), Window(col: 3, row: 2, width: 4, height: 4),
            Window(col: 2, row: 3, width: 4, height: 4), Window(col: 4, row: 3, width: 4, height: 4),
        ])
        var corner = [Bool](repeating: false, count: 100)
        corner[0] = true
        #expect(grid.frontWindows(corner, window: 4, stride: 5) == [Window(col: 0, row: 0, width: 4, height: 4)], "kept inside the grid")
        #expect(grid.frontWindows(burned, window: 11, stride: 5).isEmpty, "a window larger than the grid")
    }
}
