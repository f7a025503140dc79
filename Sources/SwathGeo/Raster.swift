import CGDAL
import Foundation

/// An open GDAL raster dataset: a local path or any GDAL path (/vsicurl/, /vsis3/, …).
///
/// A handle is not thread-safe: use one `Raster` from one thread at a time and
/// open another for each parallel worker (that is why it is `@unchecked Sendable`:
/// it may be handed to a worker, not shared by two).
public final class Raster: @unchecked Sendable {
    let handle: GDALDatasetH
    public let path: String
    private var isClosed = false
    /// Datasets this one reads through (a warped VRT's source): kept open as long as it is.
    private let sources: [Raster]
    /// Anything else it reads through (a multidimensional array it is a view of), kept alive as long as it is.
    private let owner: AnyObject?

    init(handle: GDALDatasetH, path: String, sources: [Raster] = [], owner: AnyObject? = nil) {
        self.handle = handle
        self.path = path
        self.sources = sources
        self.owner = owner
    }

    deinit {
        if !isClosed { GDALClose(handle) }
    }

    /// Opens `path` read-only. Throws with the path and GDAL's reason when it
    /// is missing, not a raster, or declares an unusable size. `drivers`, when
    /// given, are the only GDAL drivers tried: what a request names is opened
    /// as a GeoTIFF, never as a VRT or another format that reads further files.
    /// `s3://bucket/key` is read as `/vsis3/bucket/key`; errors name the path as given.
    public static func open(_ path: String, drivers: [String]? = nil) throws -> Raster {
        GDALRuntime.start()
        let gdalPath = ObjectStorage.gdalPath(path)
        if !gdalPath.hasPrefix("/vsi"), !FileManager.default.fileExists(atPath: gdalPath) {
            throw GeoError.fileNotFound(path: path)
        }
        if ObjectStorage.isRemote(gdalPath) { try checkRemoteObject(path, gdalPath: gdalPath) }
        GDALLastError.reset()
        let flags = UInt32(GDAL_OF_RASTER | GDAL_OF_READONLY | GDAL_OF_VERBOSE_ERROR)
        let handle = withoutRemoteDirectoryListing(gdalPath) {
            CStringList(drivers ?? []).withConstPointer { GDALOpenEx(gdalPath, flags, drivers == nil ? nil : $0, nil, nil) }
        }
        guard let handle else {
            throw GeoError.notARaster(path: path, reason: GDALLastError.message(default: "unrecognised format"))
        }
        let raster = Raster(handle: handle, path: path)
        try raster.validateShape()
        return raster
    }

    /// An object that is not there, a bucket that does not exist, refused credentials or an
    /// endpoint that does not answer: said plainly, before GDAL's generic "not recognized".
    private static func checkRemoteObject(_ path: String, gdalPath: String) throws {
        VSIErrorReset()
        let found = withoutRemoteDirectoryListing(gdalPath) { VirtualFile.exists(gdalPath, reportingErrors: true) }
        guard !found else { return }
        // The stat's reason is in VSI's own error slot, not CPL's.
        let reason = VSIGetLastErrorMsg().map { String(cString: $0) }?.replacingOccurrences(of: "\n", with: " ") ?? ""
        throw GeoError.unreadable(path: path, reason: reason.isEmpty ? "no such object (or the store cannot be reached)" : reason)
    }

    /// A scene behind HTTP or an object store should not cost a directory
    /// listing per open; local files keep GDAL's sibling lookup, which is how
    /// it finds external overviews (`.ovr`) and `.aux.xml` metadata.
    /// A VRT on S3 (Swath's overviews) still finds its `.vrt.ovr`: GDAL then looks for that one file
    /// by name instead of assuming the folder empty.
    static func withoutRemoteDirectoryListing<R>(_ path: String, _ body: () -> R) -> R {
        guard ObjectStorage.isRemote(path) else { return body() }
        CPLSetThreadLocalConfigOption("GDAL_DISABLE_READDIR_ON_OPEN", path.lowercased().hasSuffix(".vrt") ? "YES" : "EMPTY_DIR")
        defer { CPLSetThreadLocalConfigOption("GDAL_DISABLE_READDIR_ON_OPEN", nil) }
        return body()
    }

    private func validateShape() throws {
        guard width > 0, height > 0 else {
            throw GeoError.invalidRaster(path: path, reason: "has no pixels (\(width) × \(height))")
        }
        guard bandCount > 0 else {
            throw GeoError.invalidRaster(path: path, reason: "has no raster bands (a container? open one of its subdatasets)")
        }
    }

    public var width: Int { Int(GDALGetRasterXSize(handle)) }
    public var height: Int { Int(GDALGetRasterYSize(handle)) }
    public var size: Size { Size(width: width, height: height) }
    public var bandCount: Int { Int(GDALGetRasterCount(handle)) }
    public var bounds: Window { Window(col: 0, row: 0, width: width, height: height) }

    public var driverName: String {
        guard let driver = GDALGetDatasetDriver(handle) else { return "unknown" }
        return String(cString: GDALGetDriverShortName(driver))
    }

    /// The affine georeferencing, or nil when the raster has none (GDAL's
    /// identity default is not reported as georeferencing).
    public var geoTransform: GeoTransform? {
        var values = [Double](repeating: 0, count: 6)
        guard GDALGetGeoTransform(handle, &values) == CE_None else { return nil }
        return GeoTransform(values)
    }

    /// The raster's CRS, or nil when it has none.
    public var crs: CRS? {
        guard let borrowed = GDALGetSpatialRef(handle), let owned = OSRClone(borrowed) else { return nil }
        return try? CRS(SpatialReference(owning: owned))
    }

    /// Ground control points only, no affine: tiles of it cannot be georeferenced by an offset.
    public var hasOnlyGCPs: Bool { geoTransform == nil && GDALGetGCPCount(handle) > 0 }

    public var bands: [BandInfo] { (1...bandCount).map(bandInfo) }

    public func bandInfo(_ index: Int) -> BandInfo {
        let band = bandHandle(index)
        var blockWidth: Int32 = 0, blockHeight: Int32 = 0
        GDALGetBlockSize(band, &blockWidth, &blockHeight)
        var hasNoData: Int32 = 0
        let noData = GDALGetRasterNoDataValue(band, &hasNoData)
        let overviews = (0..<GDALGetOverviewCount(band)).compactMap { level -> Size? in
            guard let overview = GDALGetOverview(band, level) else { return nil }
            return Size(width: Int(GDALGetRasterBandXSize(overview)), height: Int(GDALGetRasterBandYSize(overview)))
        }
        return BandInfo(
            index: index,
            dataType: RasterDataType(GDALGetRasterDataType(band)),
            noData: hasNoData != 0 ? noData : nil,
            colorInterpretation: String(cString: GDALGetColorInterpretationName(GDALGetRasterColorInterpretation(band))),
            description: String(cString: GDALGetDescription(band)),
            blockWidth: Int(blockWidth),
            blockHeight: Int(blockHeight),
            overviews: overviews
        )
    }

    func bandHandle(_ index: Int) -> GDALRasterBandH {
        precondition((1...bandCount).contains(index), "band \(index) out of 1...\(bandCount)")
        return GDALGetRasterBand(handle, Int32(index))
    }

    /// Throws a clear error naming the raster when a requested band does not exist.
    public func checkBands(_ indices: [Int]) throws {
        for index in indices where !(1...bandCount).contains(index) {
            throw GeoError.invalidArgument(
                name: "band \(index)",
                reason: "\(path) has \(bandCount) band\(bandCount == 1 ? "" : "s") (1…\(bandCount))")
        }
    }

    /// Closes the dataset, flushing pending writes; throws if the flush failed.
    public func close() throws {
        guard !isClosed else { return }
        isClosed = true
        GDALLastError.reset()
        GDALClose(handle)
        if CPLGetLastErrorType() == CE_Failure || CPLGetLastErrorType() == CE_Fatal {
            throw GeoError.writeFailed(path: path, reason: GDALLastError.message(default: "flush failed"))
        }
    }
}

extension Raster {
    /// Opens one overview level of `path` as a dataset of its own, with the
    /// geotransform scaled to match (GDAL's OVERVIEW_LEVEL open option).
    public static func open(_ path: String, overviewLevel: Int) throws -> Raster {
        GDALRuntime.start()
        GDALLastError.reset()
        let flags = UInt32(GDAL_OF_RASTER | GDAL_OF_READONLY | GDAL_OF_VERBOSE_ERROR)
        let options = CStringList(["OVERVIEW_LEVEL=\(overviewLevel)"])
        guard let handle = options.withConstPointer({ GDALOpenEx(path, flags, nil, $0, nil) }) else {
            throw GeoError.notARaster(path: path, reason: GDALLastError.message(default: "no overview level \(overviewLevel)"))
        }
        return Raster(handle: handle, path: path)
    }
}
