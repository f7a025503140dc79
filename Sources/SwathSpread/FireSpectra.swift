import Foundation
import SwathGeo
import SwathWildfire

/// Spectral indices of the scenes observed at one time on a fire's grid: each band the indices read is
/// warped by GDAL onto the grid (average onto coarser cells, bilinear otherwise; the scene's nodata kept
/// out), taken to reflectance (DN × scale + offset), and the index computed per cell in Double
/// (`SpectralIndex`). Where several scenes were labeled at the same time the first that has a value wins;
/// beyond every scene the index is NaN.
public struct FireSpectra {
    public let indices: [SpectralIndex]
    public let scale: Double
    public let offset: Double

    public init(indices: [SpectralIndex], scale: Double = 1, offset: Double = 0) {
        (self.indices, self.scale, self.offset) = (indices, scale, offset)
    }

    /// The indices every scene can give: an index is in the dataset only when each dated scene has its bands.
    public static func available(in scenes: [SpreadScene]) -> [SpectralIndex] {
        [SpectralIndex.ndvi, .nbr].filter { index in !scenes.isEmpty && scenes.allSatisfy { Set($0.bandRoles.keys).isSuperset(of: index.roles) } }
    }

    /// One plane per index (named after it, e.g. `ndvi`), row by row over the grid.
    public func planes(scenes: [SpreadScene], grid: FireGrid) throws -> [SpreadBand] {
        let cells = grid.size.width * grid.size.height
        var values = indices.map { _ in [Float](repeating: .nan, count: cells) }
        for scene in scenes {
            let reflectance = try self.reflectance(of: scene, on: grid)
            for (slot, index) in indices.enumerated() {
                for cell in 0..<cells where values[slot][cell].isNaN {
                    let look = { (role: String) in reflectance[role]?[cell] ?? .nan }
                    let value = index.value(red: look("red"), nir: look("nir"), swir1: look("swir1"), swir2: look("swir2"))
                    if let value { values[slot][cell] = Float(value) }
                }
            }
        }
        return zip(indices, values).map { SpreadBand(name: $0.rawValue, values: $1) }
    }

    /// The bands the indices read, warped onto the grid, in reflectance; NaN where the scene has no data.
    private func reflectance(of scene: SpreadScene, on grid: FireGrid) throws -> [String: [Double]] {
        let raster: Raster
        do { raster = try Raster.open(scene.uri) } catch let error as GeoError {
            throw SpreadError("scene \(scene.id): \(error.reason)")
        }
        // Measured in the grid's CRS: a scene in another CRS (or in degrees) is judged by its cells on the ground.
        let resampling = try grid.resampling(for: raster, named: "scene \(scene.id)")
        let noData = -1e30
        let warped = try raster.warped(toCRS: grid.crsWKT, transform: grid.transform, size: grid.size, resampling: resampling, noData: noData)
        var bands: [String: [Double]] = [:]
        for role in Set(indices.flatMap(\.roles)) {
            guard let band = scene.bandRoles[role] else { continue }
            let samples = try warped.read(warped.bounds, bands: [band], as: Float.self)
            bands[role] = samples.map { $0 <= Float(noData) / 2 || !$0.isFinite ? .nan : Double($0) * scale + offset }
        }
        return bands
    }
}
