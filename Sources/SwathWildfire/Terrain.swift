import Foundation
import SwathGeo

/// Elevations around one window (one pixel more on every side, where the
/// scene has it) and the terrain features computed from them. Pixels on the
/// scene's outer edge, and those with a nodata neighbour, are nodata, as
/// gdaldem leaves them.
struct Terrain {
    private let elevations: [Float]  // NaN = nodata
    private let padded: Window
    private let window: Window
    private let grid: Size
    private let kernel: TerrainKernel

    init(dem: Raster, window: Window, grid: Size, kernel: TerrainKernel) throws {
        let col = max(window.col - 1, 0), row = max(window.row - 1, 0)
        padded = Window(col: col, row: row, width: min(window.col + window.width + 1, grid.width) - col,
                        height: min(window.row + window.height + 1, grid.height) - row)
        let noData = dem.bandInfo(1).noData
        elevations = try dem.read(padded, bands: [1], as: Float.self).map { value in
            if let noData, Double(value) == noData || (noData.isNaN && value.isNaN) { return .nan }
            return value.isFinite ? value : .nan
        }
        self.window = window
        self.grid = grid
        self.kernel = kernel
    }

    func fill(_ plane: UnsafeMutableBufferPointer<Float>, feature: WildfireFeature) {
        var neighbourhood = [Float](repeating: 0, count: 9)
        neighbourhood.withUnsafeMutableBufferPointer { w in
            for row in 0..<window.height {
                for col in 0..<window.width {
                    let pixel = row * window.width + col
                    let (sceneRow, sceneCol) = (window.row + row, window.col + col)
                    let r = sceneRow - padded.row, c = sceneCol - padded.col
                    if feature == .elevation {
                        let value = elevations[r * padded.width + c]
                        if !value.isNaN { plane[pixel] = value }
                        continue
                    }
                    guard sceneRow > 0, sceneCol > 0, sceneRow < grid.height - 1, sceneCol < grid.width - 1 else { continue }
                    var complete = true
                    for dy in 0..<3 {
                        for dx in 0..<3 {
                            let value = elevations[(r - 1 + dy) * padded.width + (c - 1 + dx)]
                            if value.isNaN { complete = false }
                            w[dy * 3 + dx] = value
                        }
                    }
                    guard complete, let value = value(feature, UnsafePointer(w.baseAddress!)) else { continue }
                    plane[pixel] = Float(value)
                }
            }
        }
    }

    private func value(_ feature: WildfireFeature, _ w: UnsafePointer<Float>) -> Double? {
        switch feature {
        case .slope: return TerrainKernel.slope(kernel.derivatives(w))
        case .aspectSin: return TerrainKernel.aspect(kernel.derivatives(w)).map { sin($0 * .pi / 180) }
        case .aspectCos: return TerrainKernel.aspect(kernel.derivatives(w)).map { cos($0 * .pi / 180) }
        case .hillshade: return TerrainKernel.hillshade(kernel.derivatives(w))
        case .tpi: return TerrainKernel.tpi(w)
        case .tri: return TerrainKernel.tri(w)
        default: return nil
        }
    }
}
