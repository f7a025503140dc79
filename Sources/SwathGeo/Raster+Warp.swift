import CGDAL

extension Raster {
    /// This raster resampled onto another north-up grid, lazily: an in-memory
    /// warped VRT (GDAL's warper and PROJ), read like any raster. Samples are
    /// Float32; where the source has no data (or does not reach) they are
    /// `noData`. One thread at a time, like any `Raster`.
    /// `sourceCRS`: the CRS to read this raster in when its file does not say (a weather grid of bare
    /// latitudes and longitudes, which CF means as WGS84).
    public func warped(toCRS wkt: String, transform: GeoTransform, size: Size, resampling: String,
                       noData: Double = -9999, sourceCRS: String? = nil) throws -> Raster {
        guard !transform.isRotated else {
            throw GeoError.invalidArgument(name: path, reason: "cannot be warped onto a rotated grid")
        }
        let c = transform.coefficients
        let (minX, maxY) = (c[0], c[3])
        let maxX = minX + Double(size.width) * c[1], minY = maxY + Double(size.height) * c[5]
        let arguments = ["-of", "VRT", "-t_srs", wkt, "-te", "\(minX)", "\(min(minY, maxY))", "\(maxX)", "\(max(minY, maxY))",
                         "-ts", "\(size.width)", "\(size.height)", "-r", resampling, "-ot", "Float32", "-dstnodata", "\(noData)"]
            + (sourceCRS.map { ["-s_srs", $0] } ?? [])
        let list = CStringList(arguments)
        guard let options = list.withPointer({ GDALWarpAppOptionsNew($0, nil) }) else {
            throw GeoError.invalidArgument(name: path, reason: "GDAL refused the warp options \(arguments)")
        }
        defer { GDALWarpAppOptionsFree(options) }
        GDALLastError.reset()
        var source: GDALDatasetH? = handle
        var usageError: Int32 = 0
        guard let warped = GDALWarp("", nil, 1, &source, options, &usageError) else {
            throw GeoError.unreadable(path: path, reason: GDALLastError.message(default: "could not be warped onto the grid"))
        }
        return Raster(handle: warped, path: path + " (warped)", sources: [self])
    }
}
