import CGDAL

extension Raster {
    /// Creates a new raster with a driver that supports direct creation
    /// (GTiff, MEM, …). `options` are GDAL creation options ("COMPRESS=DEFLATE").
    public static func create(_ path: String, driver: String, size: Size, bandCount: Int,
                              dataType: RasterDataType, options: [String] = []) throws -> Raster {
        let gdalDriver = try driverHandle(driver, for: path)
        GDALLastError.reset()
        let handle = CStringList(options).withPointer {
            GDALCreate(gdalDriver, path, Int32(size.width), Int32(size.height), Int32(bandCount), dataType.gdal, $0)
        }
        guard let handle else {
            throw GeoError.writeFailed(path: path, reason: GDALLastError.message(default: "\(driver) could not create it"))
        }
        return Raster(handle: handle, path: path)
    }

    /// An in-memory raster, the staging area for formats that can only be
    /// written by copy (COG, PNG, JPEG).
    public static func inMemory(size: Size, bandCount: Int, dataType: RasterDataType) throws -> Raster {
        try create("", driver: "MEM", size: size, bandCount: bandCount, dataType: dataType)
    }

    /// An in-memory raster on `grid`'s pixels: same size, geotransform and CRS
    /// (to rasterize labels onto a scene, or to compute GDAL proximity on it).
    public static func inMemory(matching grid: Raster, bandCount: Int, dataType: RasterDataType) throws -> Raster {
        let raster = try inMemory(size: grid.size, bandCount: bandCount, dataType: dataType)
        if let transform = grid.geoTransform { try raster.setGeoTransform(transform) }
        if let crs = grid.crs { try raster.setCRS(crs) }
        return raster
    }

    /// Writes a full copy of `source` with `driver` (the only way to make COG,
    /// PNG and JPEG). The copy is closed before returning, so it is complete on disk.
    public static func createCopy(of source: Raster, to path: String, driver: String, options: [String] = []) throws {
        let gdalDriver = try driverHandle(driver, for: path)
        GDALLastError.reset()
        let handle = CStringList(options).withPointer {
            GDALCreateCopy(gdalDriver, path, source.handle, 0, $0, nil, nil)
        }
        guard let handle else {
            throw GeoError.writeFailed(path: path, reason: GDALLastError.message(default: "\(driver) could not write it"))
        }
        try Raster(handle: handle, path: path).close()
    }

    private static func driverHandle(_ name: String, for path: String) throws -> GDALDriverH {
        GDALRuntime.start()
        guard let driver = GDALGetDriverByName(name) else {
            throw GeoError.writeFailed(path: path, reason: "GDAL has no \(name) driver")
        }
        return driver
    }

    public func setGeoTransform(_ transform: GeoTransform) throws {
        var values = transform.coefficients
        GDALLastError.reset()
        guard GDALSetGeoTransform(handle, &values) == CE_None else {
            throw GeoError.writeFailed(path: path, reason: GDALLastError.message(default: "cannot set geotransform"))
        }
    }

    public func setCRS(_ crs: CRS) throws {
        let reference = try SpatialReference(userInput: crs.wkt)
        GDALLastError.reset()
        guard GDALSetSpatialRef(handle, reference.handle) == CE_None else {
            throw GeoError.writeFailed(path: path, reason: GDALLastError.message(default: "cannot set CRS"))
        }
    }

    /// A dataset-level metadata item (a TIFF tag GDAL keeps in GDAL_METADATA), e.g. a sample's dates.
    public func setMetadataItem(_ name: String, value: String) throws {
        GDALLastError.reset()
        guard GDALSetMetadataItem(handle, name, value, nil) == CE_None else {
            throw GeoError.writeFailed(path: path, reason: GDALLastError.message(default: "cannot set metadata \(name)"))
        }
    }

    /// Carries a source band's nodata, description and colour interpretation.
    public func setBandMetadata(_ index: Int, noData: Double?, description: String, colorInterpretation: String) throws {
        let band = bandHandle(index)
        GDALLastError.reset()
        if let noData, GDALSetRasterNoDataValue(band, noData) != CE_None {
            throw GeoError.writeFailed(path: path, reason: GDALLastError.message(default: "cannot set nodata"))
        }
        if !description.isEmpty { GDALSetDescription(band, description) }
        let interpretation = GDALGetColorInterpretationByName(colorInterpretation)
        if interpretation != GCI_Undefined { GDALSetRasterColorInterpretation(band, interpretation) }
    }

    /// Records that a band's values are `value × scale + offset` in real units (GDAL's unscaling,
    /// rasterio's `scales`): how a Byte band carries fractions.
    public func setBandScale(_ index: Int, scale: Double, offset: Double = 0) throws {
        let band = bandHandle(index)
        GDALLastError.reset()
        guard GDALSetRasterScale(band, scale) == CE_None, GDALSetRasterOffset(band, offset) == CE_None else {
            throw GeoError.writeFailed(path: path, reason: GDALLastError.message(default: "cannot set the band's scale"))
        }
    }

    /// Writes pixel-interleaved samples (the layout `readInterleaved` fills).
    public func writeInterleaved(_ window: Window, bands: [Int], dataType: RasterDataType,
                                 from buffer: UnsafeRawPointer, bufferWidth: Int) throws {
        try checkInside(window)
        let pixelSpace = dataType.byteSize * bands.count
        try rasterIO(GF_Write, window, bands: bands, dataType: dataType, buffer: UnsafeMutableRawPointer(mutating: buffer),
                     pixelSpace: pixelSpace, lineSpace: pixelSpace * bufferWidth, bandSpace: dataType.byteSize)
    }

    /// Writes band-sequential typed samples (the layout `read` returns).
    public func write<T: RasterScalar>(_ values: [T], window: Window, bands: [Int]? = nil) throws {
        let bandList = bands ?? Array(1...bandCount)
        precondition(values.count == window.pixelCount * bandList.count, "sample count does not match window × bands")
        try values.withUnsafeBytes { try writePlanes(window, bands: bandList, dataType: T.rasterDataType, from: $0.baseAddress!) }
    }
}

extension Raster {
    /// Sets every pixel of a band to `value` (GDALFillRaster).
    public func fill(band: Int, value: Double) throws {
        GDALLastError.reset()
        guard GDALFillRaster(bandHandle(band), value, 0) == CE_None else {
            throw GeoError.writeFailed(path: path, reason: GDALLastError.message(default: "fill failed"))
        }
    }
}

extension Raster {
    /// A MEM dataset over caller-owned, pixel-interleaved memory: no copy, no
    /// allocation. The memory must outlive the returned raster.
    public static func wrapping(_ pointer: UnsafeMutableRawPointer, size: Size, bandCount: Int, dataType: RasterDataType) throws -> Raster {
        GDALRuntime.start()
        let pixel = dataType.byteSize * bandCount
        let name = "MEM:::DATAPOINTER=0x\(String(UInt(bitPattern: pointer), radix: 16)),PIXELS=\(size.width),LINES=\(size.height),"
            + "BANDS=\(bandCount),DATATYPE=\(dataType.name),PIXELOFFSET=\(pixel),LINEOFFSET=\(pixel * size.width),BANDOFFSET=\(dataType.byteSize)"
        GDALLastError.reset()
        guard let handle = GDALOpen(name, GA_Update) else {
            throw GeoError.writeFailed(path: "MEM", reason: GDALLastError.message(default: "cannot wrap memory"))
        }
        return Raster(handle: handle, path: "MEM")
    }
}

extension Raster {
    /// Builds overviews at the given reduction factors (2, 4, 8…). On a
    /// dataset opened read-only GDAL writes them to an external `.ovr` file
    /// beside it. DEFLATE-compressed, tiled.
    public func buildOverviews(factors: [Int], resampling: String, progress: (@Sendable (Double) -> Void)? = nil) throws {
        guard !factors.isEmpty else { return }
        var levels = factors.map { Int32($0) }
        CPLSetThreadLocalConfigOption("COMPRESS_OVERVIEW", "DEFLATE")
        defer { CPLSetThreadLocalConfigOption("COMPRESS_OVERVIEW", nil) }
        GDALLastError.reset()
        let box = progress.map { Unmanaged.passRetained(ProgressBox($0)) }
        defer { box?.release() }
        let status = GDALBuildOverviews(handle, resampling, Int32(levels.count), &levels, 0, nil,
                                        box == nil ? nil : { fraction, _, context in
                                            Unmanaged<ProgressBox>.fromOpaque(context!).takeUnretainedValue().report(fraction)
                                            return 1
                                        }, box?.toOpaque())
        guard status == CE_None else {
            throw GeoError.writeFailed(path: path + ".ovr", reason: GDALLastError.message(default: "building overviews failed"))
        }
    }
}

private final class ProgressBox {
    let report: @Sendable (Double) -> Void
    init(_ report: @escaping @Sendable (Double) -> Void) { self.report = report }
}

extension Raster {
    /// Writes band-sequential samples from caller-owned memory, without the
    /// copy `write` makes: for large windows written from reused buffers.
    public func writePlanes(_ window: Window, bands: [Int], dataType: RasterDataType, from buffer: UnsafeRawPointer) throws {
        try checkInside(window)
        let size = dataType.byteSize
        try rasterIO(GF_Write, window, bands: bands, dataType: dataType, buffer: UnsafeMutableRawPointer(mutating: buffer),
                     pixelSpace: size, lineSpace: size * window.width, bandSpace: size * window.pixelCount)
    }
}

extension Raster {
    /// Writes every dirty block out now (compressing it), freeing GDAL's
    /// block cache for the blocks still to come.
    public func flush() throws {
        GDALLastError.reset()
        GDALFlushCache(handle)  // void in GDAL 3.6: failures show as the thread's last error
        guard CPLGetLastErrorType() != CE_Failure, CPLGetLastErrorType() != CE_Fatal else {
            throw GeoError.writeFailed(path: path, reason: GDALLastError.message(default: "flushing blocks failed"))
        }
    }
}
