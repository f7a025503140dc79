extension Window {
    /// Pixels of this window covered by the union of `others` (overlaps
    /// counted once): coordinate compression over the few rectangles involved.
    public func coveredPixelCount(by others: [Window]) -> Int {
        let parts = others.compactMap { $0.intersection(self) }
        guard !parts.isEmpty else { return 0 }
        let xs = Array(Set(parts.flatMap { [$0.col, $0.col + $0.width] })).sorted()
        let ys = Array(Set(parts.flatMap { [$0.row, $0.row + $0.height] })).sorted()
        var covered = 0
        for i in 0..<(xs.count - 1) {
            for j in 0..<(ys.count - 1) {
                let cell = Window(col: xs[i], row: ys[j], width: xs[i + 1] - xs[i], height: ys[j + 1] - ys[j])
                if parts.contains(where: { $0.intersection(cell) == cell }) { covered += cell.pixelCount }
            }
        }
        return covered
    }
}
