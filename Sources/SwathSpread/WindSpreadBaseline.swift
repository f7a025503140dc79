/// The baseline a spread model must beat besides persistence: today's fire
/// grown by `reach` metres (the training fires' mean radial spread rate × the
/// gap), fully downwind and not at all upwind — a cardioid, reach × (1 + cos θ) / 2
/// at angle θ from the direction the wind pushes; a circle when there is no wind.
/// Cells are square, `cellSize` metres; rows run south, columns east.
public enum WindSpreadBaseline {
    public static func predict(today: [Bool], width: Int, height: Int, cellSize: Double, reach: Double,
                               towardSin: Float?, towardCos: Float?) -> [Bool] {
        var predicted = today
        guard reach > 0, cellSize > 0 else { return predicted }
        // Nothing beyond the grid can burn inside it: the reach is capped at its size, and so is the stencil.
        let stencil = Self.stencil(reach: min(reach / cellSize, Double(max(width, height))), towardSin: towardSin, towardCos: towardCos)
        for row in 0..<height {
            for col in 0..<width where FireFront.contains(today, col: col, row: row, width: width, height: height) {
                for (dc, dr) in stencil {
                    let c = col + dc, r = row + dr
                    guard c >= 0, r >= 0, c < width, r < height else { continue }
                    predicted[r * width + c] = true
                }
            }
        }
        return predicted
    }

    /// The offsets (columns east, rows south) within reach of a burning cell.
    static func stencil(reach: Double, towardSin: Float?, towardCos: Float?) -> [(Int, Int)] {
        let limit = Int(reach.rounded(.up))
        var offsets: [(Int, Int)] = []
        let direction: (east: Double, north: Double)? = {
            guard let s = towardSin, let c = towardCos, s.isFinite, c.isFinite, s != 0 || c != 0 else { return nil }
            let length = Double(s * s + c * c).squareRoot()
            return (Double(s) / length, Double(c) / length)
        }()
        for dr in -limit...limit {
            for dc in -limit...limit where dr != 0 || dc != 0 {
                let east = Double(dc), north = Double(-dr)
                let distance = (east * east + north * north).squareRoot()
                let allowed = direction.map { reach * (1 + (east * $0.east + north * $0.north) / distance) / 2 } ?? reach
                if distance <= allowed + 1e-9 { offsets.append((dc, dr)) }
            }
        }
        return offsets
    }
}
