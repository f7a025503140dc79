import Foundation
import SwathGeo

/// A fire's fuel at each observation: `FireFuel` of the land-cover labels dated then or before (undated
/// ones always), made again only when that set grows.
struct FuelByDate {
    let labels: [LandCoverLabel]
    let grid: FireGrid
    let sourceCell: Double
    private var cached: (count: Int, fuel: FireFuel)?

    init(labels: [LandCoverLabel], grid: FireGrid, sourceCell: Double) {
        (self.labels, self.grid, self.sourceCell) = (labels, grid, sourceCell)
    }

    /// nil when the project has no land-cover labels at all (no fuel_class band); all 0 before the first one.
    mutating func fuel(at time: Date) throws -> FireFuel? {
        guard !labels.isEmpty else { return nil }
        let known = labels.filter { ($0.time ?? .distantPast) <= time }
        if let cached, cached.count == known.count { return cached.fuel }
        let fuel = try FireFuel(labels: known.map(\.label), grid: grid, sourceCell: sourceCell)
        cached = (known.count, fuel)
        return fuel
    }
}
