import SwathGeo

extension CRS {
    /// Metres per unit of the CRS as gdaldem's convention has it: 1 for a
    /// projected CRS, 111,120 per degree for a geographic one (its `-s 111120`).
    var metresPerUnit: Double { isGeographic ? 111_120 : 1 }
}
