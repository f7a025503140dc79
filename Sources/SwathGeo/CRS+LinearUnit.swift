import CGDAL

extension CRS {
    /// Metres per unit of a projected CRS's axes (1 for metres, 0.3048006… for US survey feet); nil for a
    /// geographic CRS (degrees) or one GDAL cannot read.
    public var metresPerLinearUnit: Double? {
        guard let reference = try? SpatialReference(userInput: wkt), OSRIsProjected(reference.handle) != 0 else { return nil }
        return OSRGetLinearUnits(reference.handle, nil)
    }
}
