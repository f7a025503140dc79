import Foundation
import SwathGeo
import SwathLabels
import SwathTiling

/// Lays a chip grid over a scene and assigns splits by geographic blocks —
/// squares of about `blockChips` chips on the ground, keyed by longitude and
/// latitude, so two scenes of the same place (before and after a fire) put
/// the same ground in the same split — then drops every chip that overlaps
/// a chip of another split, so no pixel is seen in training and evaluation.
struct SpatialSplitter {
    let spec: SplitSpec
    let chipSize: Int
    let overlap: Int

    func chips(for scene: Scene) throws -> [ChipSlot] {
        let grid = grid(scene)
        let splits = try splitGrid(scene, grid: grid)
        var chips: [ChipSlot] = []
        for row in 0..<grid.rows {
            for col in 0..<grid.cols where !touchesOtherSplit(row: row, col: col, splits: splits, grid: grid) {
                chips.append(slot(scene, grid: grid, row: row, col: col, split: splits[row][col]))
            }
        }
        return chips
    }

    /// One chip by grid position, or nil when it is off the grid or in the buffer.
    func chip(for scene: Scene, row: Int, col: Int) throws -> ChipSlot? {
        let grid = grid(scene)
        guard row >= 0, row < grid.rows, col >= 0, col < grid.cols else { return nil }
        let splits = try splitGrid(scene, grid: grid)
        guard !touchesOtherSplit(row: row, col: col, splits: splits, grid: grid) else { return nil }
        return slot(scene, grid: grid, row: row, col: col, split: splits[row][col])
    }

    private func grid(_ scene: Scene) -> TileGrid {
        TileGrid(sceneSize: Size(width: scene.width, height: scene.height), size: chipSize, overlap: overlap, edge: .pad)
    }

    private func slot(_ scene: Scene, grid: TileGrid, row: Int, col: Int, split: DatasetSplit) -> ChipSlot {
        ChipSlot(sceneId: scene.id, row: row, col: col,
                 window: Window(col: col * grid.stride, row: row * grid.stride, width: chipSize, height: chipSize), split: split)
    }

    /// Chips whose windows overlap are at most `reach` grid steps apart.
    private func touchesOtherSplit(row: Int, col: Int, splits: [[DatasetSplit]], grid: TileGrid) -> Bool {
        let reach = (chipSize - 1) / grid.stride
        guard reach > 0 else { return false }
        for r in max(0, row - reach)...min(grid.rows - 1, row + reach) {
            for c in max(0, col - reach)...min(grid.cols - 1, col + reach) where splits[r][c] != splits[row][col] { return true }
        }
        return false
    }

    /// Each chip's split, from the geographic block its centre falls in.
    private func splitGrid(_ scene: Scene, grid: TileGrid) throws -> [[DatasetSplit]] {
        let transform = scene.transform
        let centres = (0..<grid.count).map { index -> Point in
            let row = index / grid.cols, col = index % grid.cols
            return transform.apply(col: Double(col * grid.stride) + Double(chipSize) / 2,
                                   row: Double(row * grid.stride) + Double(chipSize) / 2)
        }
        let lonLat = try Reprojector.toWGS84(from: scene.crs).forward(centres)
        let size = blockDegrees(scene)
        let splits = lonLat.map { split(blockX: Int64((($0.x + 180) / size).rounded(.down)), blockY: Int64((($0.y + 90) / size).rounded(.down))) }
        return (0..<grid.rows).map { Array(splits[($0 * grid.cols)..<(($0 + 1) * grid.cols)]) }
    }

    /// A block's side in degrees: `blockChips` chips of ground (metres turned
    /// into degrees of latitude for projected CRSs).
    func blockDegrees(_ scene: Scene) -> Double {
        let g = scene.geoTransform
        let chipGround = Double(chipSize) * hypot(g[1], g[4])
        let geographic = (try? CRS(scene.crsWKT))?.isGeographic ?? false
        return Double(spec.blockChips) * (geographic ? chipGround : chipGround / 111_320)
    }

    func split(blockX: Int64, blockY: Int64) -> DatasetSplit {
        let draw = SeededDraw.unit(spec.seed, UInt64(bitPattern: blockX), UInt64(bitPattern: blockY))
        if draw < spec.ratios[0] { return .train }
        if draw < spec.ratios[0] + spec.ratios[1] { return .validation }
        return .test
    }
}
