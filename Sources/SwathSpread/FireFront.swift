/// The active front of a burned mask: burned cells with an unburned neighbour (or the grid's edge) across
/// one of their four sides. Where windows are centred and where the wind baseline grows from.
enum FireFront {
    static func contains(_ burned: [Bool], col: Int, row: Int, width: Int, height: Int) -> Bool {
        guard burned[row * width + col] else { return false }
        for (dc, dr) in [(-1, 0), (1, 0), (0, -1), (0, 1)] {
            let c = col + dc, r = row + dr
            guard c >= 0, r >= 0, c < width, r < height else { return true }
            if !burned[r * width + c] { return true }
        }
        return false
    }
}
