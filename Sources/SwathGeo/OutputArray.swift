import CGDAL

/// A Float32 array of a dataset being written (`MultiDimensionalWriter.array`): slabs go in
/// one `write` at a time, row-major, at a start and count per dimension. Released in `deinit`;
/// used before the writer is closed, one thread at a time.
public final class OutputArray {
    private let handle: GDALMDArrayH
    public let name: String
    private let path: String
    public let shape: [Int]

    init(handle: GDALMDArrayH, name: String, path: String, shape: [Int]) {
        (self.handle, self.name, self.path, self.shape) = (handle, name, path, shape)
    }

    deinit { GDALMDArrayRelease(handle) }

    /// `values` (count's product of them) into the slab starting at `start`; a slab outside the shape is refused.
    public func write(_ values: [Float], start: [Int], count: [Int]) throws {
        guard start.count == shape.count, count.count == shape.count,
              zip(zip(start, count), shape).allSatisfy({ $0.0 >= 0 && $0.1 >= 0 && $0.0 + $0.1 <= $1 }),
              values.count == count.reduce(1, *) else {
            throw GeoError.invalidArgument(name: "\(path): \(name)", reason: "a slab of \(count) at \(start) with \(values.count) values does not fit \(shape)")
        }
        guard let dataType = GDALExtendedDataTypeCreate(GDT_Float32) else { throw GeoError.writeFailed(path: path, reason: "no data type") }
        defer { GDALExtendedDataTypeRelease(dataType) }
        var starts = start.map { UInt64($0) }, counts = count.map { Int($0) }
        GDALLastError.reset()
        let ok = values.withUnsafeBytes { buffer in
            GDALMDArrayWrite(handle, &starts, &counts, nil, nil, dataType, buffer.baseAddress, buffer.baseAddress, buffer.count)
        }
        guard ok != 0 else { throw GeoError.writeFailed(path: path, reason: "\(name): " + GDALLastError.message(default: "write failed")) }
    }
}
