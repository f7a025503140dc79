import CGDAL
import Foundation

/// Writes a multidimensional dataset through GDAL (CF NetCDF, Zarr): named
/// dimensions with their coordinate variables, and Float32 arrays over them
/// with units, nodata, a CRS (written as CF's grid_mapping) and attributes.
/// Closed (flushed) by `close()`; one thread at a time.
public final class MultiDimensionalWriter {
    public final class Dimension {
        let handle: GDALDimensionH
        public let name: String
        public let size: Int
        init(handle: GDALDimensionH, name: String, size: Int) { (self.handle, self.name, self.size) = (handle, name, size) }
        deinit { GDALDimensionRelease(handle) }
    }

    private let handle: GDALDatasetH
    private let root: GDALGroupH
    public let path: String
    private let driver: String
    private var closed = false

    /// `driver`: "netCDF" (NetCDF-4) or "ZARR".
    public init(path: String, driver: String) throws {
        GDALRuntime.start()
        guard let gdalDriver = GDALGetDriverByName(driver) else { throw GeoError.writeFailed(path: path, reason: "GDAL has no \(driver) driver") }
        GDALLastError.reset()
        guard let handle = GDALCreateMultiDimensional(gdalDriver, path, nil, nil) else {
            throw GeoError.writeFailed(path: path, reason: GDALLastError.message(default: "cannot create a multidimensional dataset"))
        }
        guard let root = GDALDatasetGetRootGroup(handle) else {
            GDALClose(handle)
            throw GeoError.writeFailed(path: path, reason: "the new dataset has no root group")
        }
        (self.handle, self.root, self.path, self.driver) = (handle, root, path, driver)
    }

    deinit {
        if !closed {
            GDALGroupRelease(root)
            GDALClose(handle)
        }
    }

    /// A dimension; `type` is GDAL's ("TEMPORAL", "HORIZONTAL_X", "HORIZONTAL_Y", or "").
    public func dimension(_ name: String, type: String, size: Int) throws -> Dimension {
        GDALLastError.reset()
        guard let dimension = GDALGroupCreateDimension(root, name, type, nil, UInt64(size), nil) else {
            throw GeoError.writeFailed(path: path, reason: "dimension \(name): " + GDALLastError.message(default: "cannot be created"))
        }
        return Dimension(handle: dimension, name: name, size: size)
    }

    /// The dimension's coordinate variable (named like it): its values and attributes (units, standard_name, calendar…).
    public func coordinates(_ dimension: Dimension, values: [Double], attributes: [String: String]) throws {
        let array = try makeArray(dimension.name, dimensions: [dimension], type: GDT_Float64)
        defer { GDALMDArrayRelease(array) }
        try write(array, name: dimension.name, values: values, type: GDT_Float64, count: [values.count])
        for (key, value) in attributes.sorted(by: { $0.key < $1.key }) { try attribute(array, key, value) }
        _ = GDALDimensionSetIndexingVariable(dimension.handle, array)  // NetCDF links them by name anyway
    }

    /// A coordinate of names (e.g. the variables of a cube).
    public func names(_ dimension: Dimension, values: [String]) throws {
        // Zarr stores strings of a fixed width; NetCDF-4 has variable-length strings.
        let width = driver.uppercased() == "ZARR" ? max(1, values.map(\.utf8.count).max() ?? 1) : 0
        guard let type = GDALExtendedDataTypeCreateString(width) else { throw GeoError.writeFailed(path: path, reason: "no string type") }
        defer { GDALExtendedDataTypeRelease(type) }
        var handles: [GDALDimensionH?] = [dimension.handle]
        GDALLastError.reset()
        guard let array = GDALGroupCreateMDArray(root, dimension.name, 1, &handles, type, nil) else {
            throw GeoError.writeFailed(path: path, reason: "\(dimension.name): " + GDALLastError.message(default: "cannot be created"))
        }
        defer { GDALMDArrayRelease(array) }
        let strings = values.map { strdup($0) }
        defer { strings.forEach { free($0) } }
        var pointers: [UnsafePointer<CChar>?] = strings.map { UnsafePointer($0) }
        var start: [UInt64] = [0], count: [Int] = [values.count]
        let ok = pointers.withUnsafeMutableBytes { buffer in
            GDALMDArrayWrite(array, &start, &count, nil, nil, type, buffer.baseAddress, buffer.baseAddress, buffer.count)
        }
        guard ok != 0 else { throw GeoError.writeFailed(path: path, reason: "\(dimension.name): " + GDALLastError.message(default: "write failed")) }
        // CF's marker for byte strings that are text: xarray then reads names, not bytes.
        if width > 0 { try attribute(array, "_Encoding", "utf-8") }
        _ = GDALDimensionSetIndexingVariable(dimension.handle, array)
    }

    /// A Float32 array over `dimensions`, written whole from `values` (row-major), NaN its nodata.
    public func array(_ name: String, dimensions: [Dimension], values: [Float], unit: String, crs: CRS?, attributes: [String: String]) throws {
        guard values.count == dimensions.map(\.size).reduce(1, *) else {
            throw GeoError.invalidArgument(name: "\(path): \(name)", reason: "\(values.count) values for dimensions \(dimensions.map(\.size))")
        }
        let array = try array(name, dimensions: dimensions, unit: unit, crs: crs, attributes: attributes)
        try array.write(values, start: dimensions.map { _ in 0 }, count: dimensions.map(\.size))
    }

    /// An empty Float32 array (nodata NaN) to be written a slab at a time, so a large cube never sits whole in memory.
    public func array(_ name: String, dimensions: [Dimension], unit: String, crs: CRS?, attributes: [String: String]) throws -> OutputArray {
        let array = try makeArray(name, dimensions: dimensions, type: GDT_Float32)
        let output = OutputArray(handle: array, name: name, path: path, shape: dimensions.map(\.size))
        if !unit.isEmpty { _ = GDALMDArraySetUnit(array, unit) }
        _ = GDALMDArraySetNoDataValueAsDouble(array, .nan)
        if let crs {
            let reference = try SpatialReference(userInput: crs.wkt)
            _ = GDALMDArraySetSpatialRef(array, reference.handle)
        }
        for (key, value) in attributes.sorted(by: { $0.key < $1.key }) { try attribute(array, key, value) }
        return output
    }

    /// Flushes and closes the dataset; errors GDAL reports on closing are thrown.
    public func close() throws {
        guard !closed else { return }
        closed = true
        GDALGroupRelease(root)
        GDALLastError.reset()
        GDALClose(handle)
        if GDALLastError.happened { throw GeoError.writeFailed(path: path, reason: GDALLastError.message(default: "closing failed")) }
    }

    private func makeArray(_ name: String, dimensions: [Dimension], type: GDALDataType) throws -> GDALMDArrayH {
        guard let dataType = GDALExtendedDataTypeCreate(type) else { throw GeoError.writeFailed(path: path, reason: "no data type") }
        defer { GDALExtendedDataTypeRelease(dataType) }
        var handles: [GDALDimensionH?] = dimensions.map(\.handle)
        GDALLastError.reset()
        guard let array = GDALGroupCreateMDArray(root, name, dimensions.count, &handles, dataType, nil) else {
            throw GeoError.writeFailed(path: path, reason: "\(name): " + GDALLastError.message(default: "cannot be created"))
        }
        return array
    }

    private func write<T>(_ array: GDALMDArrayH, name: String, values: [T], type: GDALDataType, count: [Int]) throws {
        guard let dataType = GDALExtendedDataTypeCreate(type) else { throw GeoError.writeFailed(path: path, reason: "no data type") }
        defer { GDALExtendedDataTypeRelease(dataType) }
        var start = [UInt64](repeating: 0, count: count.count), counts = count
        GDALLastError.reset()
        let ok = values.withUnsafeBytes { buffer in
            GDALMDArrayWrite(array, &start, &counts, nil, nil, dataType, buffer.baseAddress, buffer.baseAddress, buffer.count)
        }
        guard ok != 0 else { throw GeoError.writeFailed(path: path, reason: "\(name): " + GDALLastError.message(default: "write failed")) }
    }

    private func attribute(_ array: GDALMDArrayH, _ name: String, _ value: String) throws {
        guard let type = GDALExtendedDataTypeCreateString(0) else { return }
        defer { GDALExtendedDataTypeRelease(type) }
        guard let attribute = GDALMDArrayCreateAttribute(array, name, 0, nil, type, nil) else {
            throw GeoError.writeFailed(path: path, reason: "attribute \(name): " + GDALLastError.message(default: "cannot be created"))
        }
        defer { GDALAttributeRelease(attribute) }
        _ = GDALAttributeWriteString(attribute, value)
    }
}
