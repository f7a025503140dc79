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
    private let spread: PerimeterSeries?

    init(dem: Raster, window: Window, grid: Size, kernel: TerrainKernel, spread: PerimeterSeries? = nil) throws {
        self.spread = spread
        let col = max(window.col - 1, 0), row = max(window.row - 1, 0)
        let region = Window(col: col, row: row, width: min(window.col + window.width + 1, grid.width) - col,
                            height: min(window.row + window.height + 1, grid.height) - row)
        let noData = dem.bandInfo(1).noData
        var samples = [Float](repeating: 0, count: region.pixelCount)
        try samples.withUnsafeMutableBytes { try dem.readPlanes(region, bands: [1], dataType: .float32, into: $0.baseAddress!) }
        padded = region
        let missing = noData.map(Float.init)
        for index in samples.indices {
            let value = samples[index]
            if !value.isFinite || value == missing { samples[index] = .nan }
        }
        elevations = samples
        self.window = window
        self.grid = grid
        self.kernel = kernel
    }

    /// What one output plane holds; decided once per window, not per pixel.
    enum Output {
        case elevation, slope, aspectSin, aspectCos, hillshade, tpi, tri, upslopeAlignment

        init?(_ feature: WildfireFeature) {
            switch feature.name {
            case WildfireFeature.elevation.name: self = .elevation
            case WildfireFeature.slope.name: self = .slope
            case WildfireFeature.aspectSin.name: self = .aspectSin
            case WildfireFeature.aspectCos.name: self = .aspectCos
            case WildfireFeature.hillshade.name: self = .hillshade
            case WildfireFeature.tpi.name: self = .tpi
            case WildfireFeature.tri.name: self = .tri
            case WildfireFeature.upslopeAlignment.name: self = .upslopeAlignment
            default: return nil
            }
        }
    }

    /// Every terrain plane in one pass: the 3 × 3 neighbourhood and Horn's
    /// derivatives are taken once per pixel for all of them.
    func fill(_ outputs: [(Output, UnsafeMutableBufferPointer<Float>)]) {
        guard !outputs.isEmpty else { return }
        var neighbourhood = [Float](repeating: 0, count: 9)
        neighbourhood.withUnsafeMutableBufferPointer { w in
            for row in 0..<window.height {
                let sceneRow = window.row + row, r = sceneRow - padded.row
                let interiorRow = sceneRow > 0 && sceneRow < grid.height - 1
                for col in 0..<window.width {
                    let pixel = row * window.width + col
                    let sceneCol = window.col + col, c = sceneCol - padded.col
                    let centre = elevations[r * padded.width + c]
                    var complete = interiorRow && sceneCol > 0 && sceneCol < grid.width - 1
                    if complete {
                        for dy in 0..<3 {
                            let base = (r - 1 + dy) * padded.width + (c - 1)
                            for dx in 0..<3 {
                                let value = elevations[base + dx]
                                if value.isNaN { complete = false }
                                w[dy * 3 + dx] = value
                            }
                        }
                    }
                    let derivatives = complete ? kernel.derivatives(UnsafePointer(w.baseAddress!)) : nil
                    for (output, plane) in outputs {
                        if case .elevation = output {
                            if !centre.isNaN { plane[pixel] = centre }
                            continue
                        }
                        guard let d = derivatives else { continue }
                        let value: Double?
                        switch output {
                        case .slope: value = TerrainKernel.slope(d)
                        case .aspectSin: value = TerrainKernel.downslope(d)?.east
                        case .aspectCos: value = TerrainKernel.downslope(d)?.north
                        case .hillshade: value = TerrainKernel.hillshade(d)
                        case .tpi: value = TerrainKernel.tpi(UnsafePointer(w.baseAddress!))
                        case .tri: value = TerrainKernel.tri(UnsafePointer(w.baseAddress!))
                        case .upslopeAlignment:
                            // Upslope is the gradient itself; the spread direction is a unit vector.
                            let length = (d.dx * d.dx + d.dy * d.dy).squareRoot()
                            guard length > 0, let toward = spread?.direction[sceneRow * grid.width + sceneCol] else { value = nil; break }
                            value = (Double(toward.east) * d.dx + Double(toward.north) * d.dy) / length
                        case .elevation: value = nil
                        }
                        if let value { plane[pixel] = Float(value) }
                    }
                }
            }
        }
    }
}
