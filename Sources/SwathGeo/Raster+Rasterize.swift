import CGDAL

extension Raster {
    /// Burns shapes (in the raster's CRS) into a band with GDAL's rasterizer:
    /// pixel centres inside a shape take its value; later shapes win where
    /// they overlap. `allTouched` burns every pixel a shape touches instead.
    public func rasterize(_ shapes: [MultiPolygon], values: [Double], band: Int = 1, allTouched: Bool = false) throws {
        precondition(shapes.count == values.count, "one burn value per shape")
        guard !shapes.isEmpty else { return }
        let geometries = shapes.map(OGRGeometry.init)
        var handles: [OGRGeometryH?] = geometries.map(\.handle)
        var bands: [Int32] = [Int32(band)]
        var burn = values
        let options = CStringList(allTouched ? ["ALL_TOUCHED=TRUE"] : [])
        GDALLastError.reset()
        let status = options.withPointer { optionList in
            GDALRasterizeGeometries(handle, 1, &bands, Int32(handles.count), &handles, nil, nil, &burn, optionList, nil, nil)
        }
        withExtendedLifetime(geometries) {}
        guard status == CE_None else {
            throw GeoError.writeFailed(path: path, reason: GDALLastError.message(default: "rasterization failed"))
        }
    }
}
