import Testing
import SwathGeo
@testable import SwathTiling

/// Grid counts worked out by hand: tiles start at k·stride while the
/// previous tile has not reached the edge.
@Suite struct TileGridTests {
    @Test func exactFitHasNoPartialTiles() {
        let grid = TileGrid(sceneSize: Size(width: 1024, height: 512), size: 512, overlap: 0, edge: .pad)
        #expect(grid.cols == 2 && grid.rows == 1)
        #expect(!grid.tile(row: 0, col: 1).isPadded)
    }

    @Test func overlapAdvancesByStride() {
        // 1000 px, size 512, overlap 100 → stride 412: origins 0, 412, 824.
        let grid = TileGrid(sceneSize: Size(width: 1000, height: 1000), size: 512, overlap: 100, edge: .shrink)
        #expect(grid.cols == 3)
        let last = grid.tile(row: 0, col: 2)
        #expect(last.sourceWindow == Window(col: 824, row: 0, width: 176, height: 512))
        #expect(last.outputSize == Size(width: 176, height: 512))
    }

    @Test func padKeepsFullSizeAndDropLeavesEdgesOut() {
        let scene = Size(width: 10980, height: 10980)
        let padded = TileGrid(sceneSize: scene, size: 512, overlap: 0, edge: .pad)
        #expect(padded.cols == 22 && padded.count == 484)  // ceil(10980 / 512)
        let edge = padded.tile(row: 21, col: 21)
        #expect(edge.sourceWindow == Window(col: 10752, row: 10752, width: 228, height: 228))
        #expect(edge.outputSize == Size(width: 512, height: 512))
        let dropped = TileGrid(sceneSize: scene, size: 512, overlap: 0, edge: .drop)
        #expect(dropped.cols == 21 && dropped.count == 441)  // floor(10980 / 512)
    }

    @Test func sceneSmallerThanATile() {
        let small = Size(width: 100, height: 80)
        #expect(TileGrid(sceneSize: small, size: 512, overlap: 0, edge: .pad).count == 1)
        #expect(TileGrid(sceneSize: small, size: 512, overlap: 0, edge: .drop).count == 0)
    }

    @Test func idsSortInGridOrder() {
        let grid = TileGrid(sceneSize: Size(width: 5000, height: 300), size: 100, overlap: 0, edge: .pad)
        #expect(grid.tile(at: 0).id == "r0000_c0000")
        #expect(grid.tile(at: 49).id == "r0000_c0049")
        #expect(grid.tile(at: 50).id == "r0001_c0000")
        #expect(grid.tile(at: 51).index == 51)
    }

    @Test func workUnitsCoverEveryPendingTileOnce() throws {
        let raster = try Raster.open(SwathTestSupport.Fixture.path("utm_multiband.tif"))
        var options = TileOptions()
        options.size = 32
        let plan = try TilePlan(raster: raster, options: options)
        let pending = Array(0..<plan.grid.count).filter { $0 % 7 != 3 }
        let units = plan.workUnits(pending, threads: 2)
        #expect(units.flatMap { Array($0) } == pending)
        for unit in units { #expect(unit.lowerBound / plan.grid.cols == (unit.upperBound - 1) / plan.grid.cols) }
    }
}

import SwathTestSupport
