import CGDAL
import Foundation

/// A dataset opened through GDAL's multidimensional API — NetCDF/CF, Zarr,
/// GRIB, HDF5 — read as named arrays with named dimensions, the way weather
/// and climate data is laid out: (time, y, x) and the values along each axis.
/// Like `Raster`, one thread at a time.
public final class MultiDimensionalDataset: @unchecked Sendable {
    let handle: GDALDatasetH
    let root: GDALGroupH
    public let path: String

    private init(handle: GDALDatasetH, root: GDALGroupH, path: String) {
        (self.handle, self.root, self.path) = (handle, root, path)
    }

    deinit {
        GDALGroupRelease(root)
        GDALClose(handle)
    }

    /// Opens `path` (a file, a Zarr folder, any GDAL path) read-only.
    /// `drivers`: the only GDAL drivers allowed to open it (for paths a request names); nil: any.
    public static func open(_ path: String, drivers: [String]? = nil) throws -> MultiDimensionalDataset {
        GDALRuntime.start()
        let gdalPath = ObjectStorage.gdalPath(path)
        if !gdalPath.hasPrefix("/vsi"), !FileManager.default.fileExists(atPath: gdalPath) {
            throw GeoError.fileNotFound(path: path)
        }
        GDALLastError.reset()
        let flags = UInt32(GDAL_OF_MULTIDIM_RASTER | GDAL_OF_READONLY | GDAL_OF_VERBOSE_ERROR)
        guard let handle = CStringList(drivers ?? []).withConstPointer({ GDALOpenEx(gdalPath, flags, drivers == nil ? nil : $0, nil, nil) }) else {
            let expected = drivers.map { "not a multidimensional dataset of the allowed formats (\($0.joined(separator: ", ")))" }
            throw GeoError.notARaster(path: path, reason: GDALLastError.message(
                default: expected ?? "not a multidimensional dataset (NetCDF, Zarr, GRIB, HDF5)"))
        }
        guard let root = GDALDatasetGetRootGroup(handle) else {
            GDALClose(handle)
            throw GeoError.notARaster(path: path, reason: "it has no root group")
        }
        return MultiDimensionalDataset(handle: handle, root: root, path: path)
    }

    /// The arrays of the root group, coordinate variables included.
    public var arrayNames: [String] {
        guard let names = GDALGroupGetMDArrayNames(root, nil) else { return [] }
        defer { CSLDestroy(names) }
        var result: [String] = []
        var index = 0
        while let name = names[index] {
            result.append(String(cString: name))
            index += 1
        }
        return result
    }

    /// The array `name` (a variable of the root group), or an error naming the ones there are.
    /// An array by its name in the root group (`u10`) or its full name (`/u10`, `/group/u10`, as GDAL's
    /// `ZARR:"store":/u10` syntax writes it).
    public func array(_ name: String) throws -> MDArray {
        let opened = name.hasPrefix("/") ? GDALGroupOpenMDArrayFromFullname(root, name, nil) : GDALGroupOpenMDArray(root, name, nil)
        guard let array = opened else {
            throw GeoError.invalidArgument(name: "\(path): variable '\(name)'",
                                           reason: "no such array (it has \(arrayNames.joined(separator: ", ")))")
        }
        return MDArray(handle: array, owner: self, path: path)
    }
}
