import CGDAL

extension Raster {
    /// GDAL's own terrain analysis (what `gdaldem` does) on band 1, into memory: "slope" in degrees or
    /// "aspect" in degrees clockwise from north, the direction the slope faces (downhill); flat ground and
    /// the outermost cells (no full 3 × 3 neighbourhood) are nodata (-9999). `scale`: horizontal units per vertical unit (111120 for degrees and metres).
    public func terrain(_ processing: String, scale: Double = 1) throws -> Raster {
        guard ["slope", "aspect"].contains(processing) else {
            throw GeoError.invalidArgument(name: "terrain", reason: "'\(processing)' is not slope or aspect")
        }
        let arguments = ["-of", "MEM", "-s", "\(scale)"]
        let list = CStringList(arguments)
        guard let options = list.withPointer({ GDALDEMProcessingOptionsNew($0, nil) }) else {
            throw GeoError.invalidArgument(name: path, reason: "GDAL refused the terrain options \(arguments)")
        }
        defer { GDALDEMProcessingOptionsFree(options) }
        GDALLastError.reset()
        var usageError: Int32 = 0
        guard let result = GDALDEMProcessing("", handle, processing, nil, options, &usageError) else {
            throw GeoError.unreadable(path: path, reason: GDALLastError.message(default: "gdaldem \(processing) failed"))
        }
        return Raster(handle: result, path: path + " (\(processing))", sources: [self])
    }
}
