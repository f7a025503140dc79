import CGDAL

extension Raster {
    /// Merges every 8-connected region of `band` smaller than `pixels` into its largest neighbour,
    /// in place (GDAL's sieve filter): small islands disappear and small holes are filled.
    public func sieve(band: Int = 1, smallerThan pixels: Int) throws {
        guard pixels > 1 else { return }
        guard let handle = GDALGetRasterBand(self.handle, Int32(band)) else {
            throw GeoError.invalidArgument(name: "band", reason: "\(path) has no band \(band)")
        }
        GDALLastError.reset()
        guard GDALSieveFilter(handle, nil, handle, Int32(clamping: pixels), 8, nil, nil, nil) == CE_None else {
            throw GeoError.writeFailed(path: path, reason: GDALLastError.message(default: "the sieve filter failed"))
        }
    }

    /// The regions of equal nonzero value in `band` (8-connected, or 4-connected when `eightConnected`
    /// is false), each as a polygon (holes kept) in the raster's CRS, with its value (GDAL's polygonize).
    /// Zero is background and gives no region.
    public func polygonize(band: Int = 1, eightConnected: Bool = true) throws -> [(value: Int, shape: MultiPolygon)] {
        guard let source = GDALGetRasterBand(handle, Int32(band)) else {
            throw GeoError.invalidArgument(name: "band", reason: "\(path) has no band \(band)")
        }
        guard let driver = OGRGetDriverByName("Memory"), let dataset = OGR_Dr_CreateDataSource(driver, "regions", nil) else {
            throw GeoError.writeFailed(path: path, reason: "OGR's Memory driver is missing")
        }
        defer { OGR_DS_Destroy(dataset) }
        guard let layer = OGR_DS_CreateLayer(dataset, "regions", nil, wkbPolygon, nil) else {
            throw GeoError.writeFailed(path: path, reason: "could not make a layer for the regions")
        }
        let field = OGR_Fld_Create("value", OFTInteger)
        defer { OGR_Fld_Destroy(field) }
        OGR_L_CreateField(layer, field, 1)
        let options = CStringList(eightConnected ? ["8CONNECTED=8"] : [])
        GDALLastError.reset()
        let status = options.withPointer { GDALPolygonize(source, source, layer, 0, $0, nil, nil) }
        guard status == CE_None else {
            throw GeoError.writeFailed(path: path, reason: GDALLastError.message(default: "polygonize failed"))
        }
        var regions: [(value: Int, shape: MultiPolygon)] = []
        OGR_L_ResetReading(layer)
        while let feature = OGR_L_GetNextFeature(layer) {
            defer { OGR_F_Destroy(feature) }
            guard let geometry = OGR_F_GetGeometryRef(feature), let copy = OGR_G_Clone(geometry) else { continue }
            regions.append((Int(OGR_F_GetFieldAsInteger(feature, 0)), OGRGeometry(owning: copy).multiPolygon))
        }
        return regions
    }
}

extension MultiPolygon {
    /// Fewer vertices, no vertex moved more than `tolerance` (CRS units), topology kept (GEOS through OGR).
    public func simplified(tolerance: Double) throws -> MultiPolygon {
        let geometry = OGRGeometry(self)
        let result = withExtendedLifetime(geometry) { OGR_G_SimplifyPreserveTopology(geometry.handle, tolerance) }
        guard let simple = result else {
            throw GeoError.invalidArgument(name: "tolerance", reason: GDALLastError.message(default: "simplification failed"))
        }
        return OGRGeometry(owning: simple).multiPolygon
    }

    /// A polygonized region as a valid shape: regions that meet themselves at a pixel corner come
    /// out of GDAL's polygonize as self-touching rings, which GEOS calls invalid; its zero-width
    /// buffer rebuilds them as valid polygons covering the same pixels.
    public func repaired() throws -> MultiPolygon {
        validityProblem == nil ? self : try buffered(by: 0)
    }
}
