import SwathGeo
import SwathLabels
import SwathTiling

/// Lays a chip grid over a scene and assigns splits by spatial blocks, then
/// drops every chip that overlaps a chip of another split, so that no pixel
/// is seen in training and in evaluation.
struct SpatialSplitter {
    let spec: SplitSpec
    let chipSize: Int
    let overlap: Int

    func chips(for scene: Scene) -> [ChipSlot] {
        let grid = TileGrid(sceneSize: Size(width: scene.width, height: scene.height), size: chipSize, overlap: overlap, edge: .pad)
        var splits: [[DatasetSplit]] = []
        for row in 0..<grid.rows {
            splits.append((0..<grid.cols).map { col in split(sceneId: scene.id, blockRow: row / spec.blockChips, blockCol: col / spec.blockChips) })
        }
        // Chips whose windows overlap are at most this many grid steps apart.
        let reach = (chipSize - 1) / grid.stride
        var chips: [ChipSlot] = []
        for row in 0..<grid.rows {
            for col in 0..<grid.cols {
                let mine = splits[row][col]
                var touchesOther = false
                if reach > 0 {
                    outer: for dr in -reach...reach {
                        for dc in -reach...reach where (dr, dc) != (0, 0) {
                            let r = row + dr, c = col + dc
                            if r >= 0, r < grid.rows, c >= 0, c < grid.cols, splits[r][c] != mine { touchesOther = true; break outer }
                        }
                    }
                }
                guard !touchesOther else { continue }
                let x = col * grid.stride, y = row * grid.stride
                chips.append(ChipSlot(sceneId: scene.id, row: row, col: col,
                                      window: Window(col: x, row: y, width: chipSize, height: chipSize), split: mine))
            }
        }
        return chips
    }

    /// One chip by grid position, or nil when it is off the grid or in the buffer.
    func chip(for scene: Scene, row: Int, col: Int) -> ChipSlot? {
        let grid = TileGrid(sceneSize: Size(width: scene.width, height: scene.height), size: chipSize, overlap: overlap, edge: .pad)
        guard row >= 0, row < grid.rows, col >= 0, col < grid.cols else { return nil }
        let splitAt = { (r: Int, c: Int) in split(sceneId: scene.id, blockRow: r / spec.blockChips, blockCol: c / spec.blockChips) }
        let mine = splitAt(row, col)
        let reach = (chipSize - 1) / grid.stride
        for r in max(0, row - reach)...min(grid.rows - 1, row + reach) {
            for c in max(0, col - reach)...min(grid.cols - 1, col + reach) where splitAt(r, c) != mine { return nil }
        }
        return ChipSlot(sceneId: scene.id, row: row, col: col,
                        window: Window(col: col * grid.stride, row: row * grid.stride, width: chipSize, height: chipSize), split: mine)
    }

    func split(sceneId: SceneID, blockRow: Int, blockCol: Int) -> DatasetSplit {
        let draw = SeededDraw.unit(spec.seed, UInt64(bitPattern: sceneId), UInt64(blockRow), UInt64(blockCol))
        if draw < spec.ratios[0] { return .train }
        if draw < spec.ratios[0] + spec.ratios[1] { return .validation }
        return .test
    }
}
