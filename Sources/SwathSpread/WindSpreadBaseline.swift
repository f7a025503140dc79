import Foundation

/// The baseline a spread model must beat besides persistence: today's fire
/// grown by `reach` metres (the training fires' mean radial spread rate × the
/// gap) along the push of the wind and the slope. The push is the unit vector
/// the wind blows toward plus uphill weighted by the slope's tangent (a 45°
/// slope pushes as hard as any wind); with e = min(|push|, 1) the fire reaches
/// reach × (1 + e cos θ) / (1 + e) at angle θ from the push: the full reach
/// along it, a cardioid with nothing upwind when e = 1, a circle without wind
/// or slope. Cells are square, `cellSize` metres; rows run south, columns east.
public enum WindSpreadBaseline {
    public static func predict(today: [Bool], width: Int, height: Int, cellSize: Double, reach: Double,
                               push: (east: Double, north: Double)?) -> [Bool] {
        var predicted = today
        guard reach > 0, cellSize > 0 else { return predicted }
        // Nothing beyond the grid can burn inside it: the reach is capped at its size, and so is the stencil.
        let stencil = Self.stencil(reach: min(reach / cellSize, Double(max(width, height))), push: push)
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

    /// The push of a window: the wind's mean direction (toward; unit) plus the mean of uphill × tan(slope)
    /// over its cells; nil when neither is known.
    public static func push(towardSin: [Float]?, towardCos: [Float]?, upslopeSin: [Float]?, upslopeCos: [Float]?, slopeDegrees: [Float]?) -> (east: Double, north: Double)? {
        var east = 0.0, north = 0.0, known = false
        if let towardSin, let towardCos {
            let (s, c) = (mean(towardSin), mean(towardCos))
            let length = (s * s + c * c).squareRoot()
            if length > 0 { (east, north, known) = (s / length, c / length, true) }
        }
        if let upslopeSin, let upslopeCos, let slopeDegrees {
            var sumEast = 0.0, sumNorth = 0.0, count = 0
            for i in slopeDegrees.indices where slopeDegrees[i].isFinite {
                let steepness = tan(Double(slopeDegrees[i]) * .pi / 180)
                let (s, c) = upslopeSin[i].isFinite && upslopeCos[i].isFinite ? (Double(upslopeSin[i]), Double(upslopeCos[i])) : (0, 0)
                (sumEast, sumNorth, count) = (sumEast + steepness * s, sumNorth + steepness * c, count + 1)
            }
            if count > 0 { (east, north, known) = (east + sumEast / Double(count), north + sumNorth / Double(count), true) }
        }
        return known ? (east, north) : nil
    }

    private static func mean(_ values: [Float]) -> Double {
        let finite = values.filter(\.isFinite)
        return finite.isEmpty ? 0 : finite.reduce(0.0) { $0 + Double($1) } / Double(finite.count)
    }

    /// The offsets (columns east, rows south) within reach of a burning cell.
    static func stencil(reach: Double, push: (east: Double, north: Double)?) -> [(Int, Int)] {
        let limit = Int(reach.rounded(.up))
        let length = push.map { ($0.east * $0.east + $0.north * $0.north).squareRoot() } ?? 0
        let eccentricity = min(length, 1)
        var offsets: [(Int, Int)] = []
        for dr in -limit...limit {
            for dc in -limit...limit where dr != 0 || dc != 0 {
                let east = Double(dc), north = Double(-dr)
                let distance = (east * east + north * north).squareRoot()
                var allowed = reach
                if let push, length > 0 {
                    let cosine = (east * push.east + north * push.north) / (distance * length)
                    allowed = reach * (1 + eccentricity * cosine) / (1 + eccentricity)
                }
                if distance <= allowed + 1e-9 { offsets.append((dc, dr)) }
            }
        }
        return offsets
    }
}
