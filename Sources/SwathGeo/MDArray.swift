import CGDAL
import Foundation

/// One array of a multidimensional dataset (GDAL's GDALMDArray): its
/// dimensions, unit and attributes, its values, a slice of it, and a 2-D
/// slice as a classic raster (georeferenced when its dimensions say where).
public final class MDArray: @unchecked Sendable {
    let handle: GDALMDArrayH
    /// The dataset the array reads from, kept open as long as the array is.
    private let owner: AnyObject
    public let path: String

    init(handle: GDALMDArrayH, owner: AnyObject, path: String) {
        (self.handle, self.owner, self.path) = (handle, owner, path)
    }

    deinit {
        GDALMDArrayRelease(handle)
    }

    public var name: String { GDALMDArrayGetName(handle).map { String(cString: $0) } ?? "" }

    /// The CF `units` (e.g. "m s**-1", "hours since 1900-01-01 00:00:00.0").
    public var unit: String {
        if let unit = GDALMDArrayGetUnit(handle), unit.pointee != 0 { return String(cString: unit) }
        return attribute("units") ?? ""
    }

    /// A string attribute (numbers are given as text), or nil.
    public func attribute(_ name: String) -> String? {
        guard let attribute = GDALMDArrayGetAttribute(handle, name) else { return nil }
        defer { GDALAttributeRelease(attribute) }
        return GDALAttributeReadAsString(attribute).map { String(cString: $0) }
    }

    /// The dimensions, slowest-varying first (e.g. time, latitude, longitude).
    public var dimensions: [MDDimension] {
        var count = 0
        guard let dimensions = GDALMDArrayGetDimensions(handle, &count) else { return [] }
        defer { GDALReleaseDimensions(dimensions, count) }
        return (0..<count).compactMap { index in
            guard let dimension = dimensions[index] else { return nil }
            let indexing = GDALDimensionGetIndexingVariable(dimension).map { MDArray(handle: $0, owner: owner, path: path) }
            return MDDimension(name: GDALDimensionGetName(dimension).map { String(cString: $0) } ?? "",
                               type: GDALDimensionGetType(dimension).map { String(cString: $0) } ?? "",
                               size: Int(GDALDimensionGetSize(dimension)), indexingVariable: indexing)
        }
    }

    /// Every value as Double, in row-major order, scale and offset not applied (what the file stores).
    /// For coordinate variables and other small arrays: refused past `limit` values.
    public func values(limit: Int = 10_000_000) throws -> [Double] {
        let shape = dimensions.map(\.size)
        let total = shape.reduce(1, *)
        guard total <= limit else {
            throw GeoError.invalidArgument(name: "\(path): \(name)", reason: "has \(total) values, more than \(limit) read at once")
        }
        var result = [Double](repeating: .nan, count: total)
        guard total > 0 else { return result }
        let start = [UInt64](repeating: 0, count: shape.count)
        let count = shape.map { $0 }
        guard let type = GDALExtendedDataTypeCreate(GDT_Float64) else {
            throw GeoError.unreadable(path: path, reason: "cannot describe Float64 to GDAL")
        }
        defer { GDALExtendedDataTypeRelease(type) }
        GDALLastError.reset()
        let ok = result.withUnsafeMutableBytes { buffer in
            start.withUnsafeBufferPointer { startPointer in
                count.withUnsafeBufferPointer { countPointer in
                    GDALMDArrayRead(handle, startPointer.baseAddress, countPointer.baseAddress, nil, nil, type,
                                    buffer.baseAddress, buffer.baseAddress, buffer.count)
                }
            }
        }
        guard ok != 0 else {
            throw GeoError.unreadable(path: path, reason: "\(name): " + GDALLastError.message(default: "reading the array failed"))
        }
        return result
    }

    /// The array with its scale and offset applied (CF `scale_factor`, `add_offset`: packed values unpacked),
    /// or itself when it has neither.
    public func unscaled() throws -> MDArray {
        var hasScale: Int32 = 0, hasOffset: Int32 = 0
        _ = GDALMDArrayGetScale(handle, &hasScale)
        _ = GDALMDArrayGetOffset(handle, &hasOffset)
        guard hasScale != 0 || hasOffset != 0 else { return self }
        guard let unscaled = GDALMDArrayGetUnscaled(handle) else {
            throw GeoError.unreadable(path: path, reason: "\(name): its scale and offset cannot be applied")
        }
        return MDArray(handle: unscaled, owner: owner, path: path)
    }

    /// The array's CRS when its file says one (a CF grid_mapping), else nil.
    public var crs: CRS? {
        guard let reference = GDALMDArrayGetSpatialRef(handle) else { return nil }
        let owned = SpatialReference(owning: reference)
        return try? CRS(owned)
    }

    /// A view of the array, in GDAL's slicing syntax (e.g. "[3,:,:]" — the fourth time step).
    public func view(_ expression: String) throws -> MDArray {
        GDALLastError.reset()
        guard let view = GDALMDArrayGetView(handle, expression) else {
            throw GeoError.invalidArgument(name: "\(path): \(name)\(expression)", reason: GDALLastError.message(default: "not a view of the array"))
        }
        return MDArray(handle: view, owner: owner, path: path)
    }

    /// The array as a classic raster with dimension `x` as columns and `y` as rows (other dimensions become
    /// bands); georeferenced when the dimensions are regularly spaced coordinates and the array has a CRS.
    public func classicRaster(x: Int, y: Int) throws -> Raster {
        GDALLastError.reset()
        guard let dataset = GDALMDArrayAsClassicDataset(handle, x, y) else {
            throw GeoError.notARaster(path: path, reason: "\(name) cannot be read as a raster: " + GDALLastError.message(default: "no reason given"))
        }
        // The raster reads through this array (and its dataset): both stay open as long as it does.
        return Raster(handle: dataset, path: "\(path) (\(name))", owner: self)
    }
}
