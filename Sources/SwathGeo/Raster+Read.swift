import CGDAL

/// GDAL's answer to "is there data here?", which lets sparse files skip work
/// without decoding pixels.
public enum DataCoverage: Sendable, Equatable {
    case empty
    case data
    case unknown
}

extension Raster {
    /// Reads a window band-sequentially into a typed array, like rasterio's
    /// `read`: sample (band b, row r, col c) is at `b·w·h + r·w + c`.
    /// GDAL converts from each band's own type to `T`.
    public func read<T: RasterScalar>(_ window: Window, bands: [Int]? = nil, as type: T.Type = T.self) throws -> [T] {
        let bandList = bands ?? Array(1...bandCount)
        try checkBands(bandList)
        try checkInside(window)
        var values = [T](repeating: T(), count: window.pixelCount * bandList.count)
        try values.withUnsafeMutableBytes { try readPlanes(window, bands: bandList, dataType: T.rasterDataType, into: $0.baseAddress!) }
        return values
    }

    /// Reads a window pixel-interleaved (all bands of a pixel together, the
    /// layout of a pixel-interleaved GeoTIFF) into caller-owned memory.
    /// `bufferWidth` is the row length of the destination in pixels, so a
    /// window can land inside a larger, pre-filled tile buffer at `origin`.
    public func readInterleaved(_ window: Window, bands: [Int], dataType: RasterDataType,
                                into buffer: UnsafeMutableRawPointer, bufferWidth: Int) throws {
        try checkBands(bands)
        try checkInside(window)
        let pixelSpace = dataType.byteSize * bands.count
        try rasterIO(GF_Read, window, bands: bands, dataType: dataType, buffer: buffer,
                     pixelSpace: pixelSpace, lineSpace: pixelSpace * bufferWidth, bandSpace: dataType.byteSize)
    }

    /// Whether a window of a band holds data, according to the format's own
    /// bookkeeping (missing TIFF blocks are reported empty without decoding).
    public func dataCoverage(_ window: Window, band: Int) -> DataCoverage {
        var percent: Double = 0
        let status = GDALGetDataCoverageStatus(bandHandle(band), Int32(window.col), Int32(window.row),
                                               Int32(window.width), Int32(window.height), 0, &percent)
        if status & Int32(GDAL_DATA_COVERAGE_STATUS_UNIMPLEMENTED) != 0 { return .unknown }
        if status == Int32(GDAL_DATA_COVERAGE_STATUS_EMPTY) { return .empty }
        return .data
    }

    func checkInside(_ window: Window) throws {
        guard !window.isEmpty, window.col >= 0, window.row >= 0,
              window.col + window.width <= width, window.row + window.height <= height else {
            throw GeoError.invalidArgument(
                name: "window \(window.col),\(window.row) \(window.width)×\(window.height)",
                reason: "outside \(path) (\(width) × \(height))")
        }
    }

    /// `bufferSize`: the window resampled (nearest neighbour, through overviews when shrinking) to that many
    /// pixels; the window's own size when nil.
    func rasterIO(_ direction: GDALRWFlag, _ window: Window, bands: [Int], dataType: RasterDataType,
                  buffer: UnsafeMutableRawPointer, pixelSpace: Int, lineSpace: Int, bandSpace: Int, bufferSize: Size? = nil) throws {
        var bandMap = bands.map { Int32($0) }
        let size = bufferSize ?? Size(width: window.width, height: window.height)
        GDALLastError.reset()
        let status = GDALDatasetRasterIOEx(
            handle, direction, Int32(window.col), Int32(window.row), Int32(window.width), Int32(window.height),
            buffer, Int32(size.width), Int32(size.height), dataType.gdal, Int32(bands.count), &bandMap,
            GSpacing(pixelSpace), GSpacing(lineSpace), GSpacing(bandSpace), nil)
        guard status == CE_None else {
            let reason = GDALLastError.message(default: "GDAL RasterIO failed")
            if direction == GF_Write { throw GeoError.writeFailed(path: path, reason: reason) }
            throw GeoError.unreadable(path: path, reason: reason)
        }
    }
}

extension Raster {
    /// The whole of one band, decimated to `size` (nearest neighbour, read
    /// from the closest overview when there is one): a cheap, representative
    /// sample for statistics over a large scene.
    public func readDecimated(band: Int, to size: Size) throws -> [Float] {
        try checkBands([band])
        var values = [Float](repeating: 0, count: size.width * size.height)
        GDALLastError.reset()
        let status = values.withUnsafeMutableBytes { buffer in
            GDALRasterIO(bandHandle(band), GF_Read, 0, 0, Int32(width), Int32(height), buffer.baseAddress,
                         Int32(size.width), Int32(size.height), GDT_Float32, 0, 0)
        }
        guard status == CE_None else {
            throw GeoError.unreadable(path: path, reason: GDALLastError.message(default: "GDAL RasterIO failed"))
        }
        return values
    }
}

extension Raster {
    /// Reads band-sequential samples into caller-owned memory (non-generic,
    /// so callers in other modules pay no per-element generic copies).
    public func readPlanes(_ window: Window, bands: [Int], dataType: RasterDataType, into buffer: UnsafeMutableRawPointer) throws {
        try checkBands(bands)
        try checkInside(window)
        let size = dataType.byteSize
        try rasterIO(GF_Read, window, bands: bands, dataType: dataType, buffer: buffer,
                     pixelSpace: size, lineSpace: size * window.width, bandSpace: size * window.pixelCount)
    }
}
