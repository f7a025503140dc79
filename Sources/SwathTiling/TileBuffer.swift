import SwathGeo

/// One worker's pixel buffer for a tile, pixel-interleaved (the layout of a
/// pixel-interleaved GeoTIFF), reused from tile to tile so memory stays at one
/// tile per worker whatever the scene's size.
final class TileBuffer {
    let dataType: RasterDataType
    let bandCount: Int
    let bytesPerPixel: Int
    let capacityPixels: Int
    let pointer: UnsafeMutableRawPointer
    private let fillPixel: [UInt8]
    private let noData: [Double?]

    /// `noData` holds each output band's nodata (nil when the band has none);
    /// padding is filled with it, or with 0 for a band without one.
    init(maxPixels: Int, dataType: RasterDataType, noData: [Double?]) {
        self.dataType = dataType
        self.bandCount = noData.count
        self.bytesPerPixel = dataType.byteSize * noData.count
        self.capacityPixels = maxPixels
        self.noData = noData
        fillPixel = noData.flatMap { dataType.encode($0 ?? 0) }
        pointer = UnsafeMutableRawPointer.allocate(byteCount: maxPixels * bytesPerPixel, alignment: 16)
    }

    deinit {
        pointer.deallocate()
    }

    /// Sets every pixel of a `size` tile to the fill (nodata) value.
    func fill(_ size: Size) {
        fillPixels(pointer, count: size.width * size.height, with: fillPixel)
    }

    /// Pixels of the top-left `valid` region (rows of `rowLength` pixels) in
    /// which every band that has a nodata value holds it. 0 when no band has one.
    func noDataPixelCount(valid: Size, rowLength: Int) -> Int {
        guard noData.contains(where: { $0 != nil }) else { return 0 }
        switch dataType {
        case .byte: return count(UInt8.self, valid: valid, rowLength: rowLength)
        case .uint16: return count(UInt16.self, valid: valid, rowLength: rowLength)
        case .int16: return count(Int16.self, valid: valid, rowLength: rowLength)
        case .uint32: return count(UInt32.self, valid: valid, rowLength: rowLength)
        case .int32: return count(Int32.self, valid: valid, rowLength: rowLength)
        case .float32: return count(Float.self, valid: valid, rowLength: rowLength)
        case .float64: return count(Double.self, valid: valid, rowLength: rowLength)
        default: return countBytes(valid: valid, rowLength: rowLength)
        }
    }

    private func count<T: Equatable>(_ type: T.Type, valid: Size, rowLength: Int) -> Int {
        let samples = pointer.assumingMemoryBound(to: T.self)
        let values: [T] = fillPixel.withUnsafeBytes { Array($0.bindMemory(to: T.self)) }
        let checked = noData.indices.filter { noData[$0] != nil }
        let nanBands = noData.map { $0?.isNaN ?? false }
        var found = 0
        for row in 0..<valid.height {
            var sample = row * rowLength * bandCount
            for _ in 0..<valid.width {
                var allNoData = true
                for band in checked {
                    let value = samples[sample + band]
                    // NaN never equals itself, so a NaN nodata matches any NaN.
                    let matches = nanBands[band] ? value != value : value == values[band]
                    if !matches { allNoData = false; break }
                }
                if allNoData { found += 1 }
                sample += bandCount
            }
        }
        return found
    }

    /// Byte-wise comparison for the types without a Swift scalar (complex, 64-bit).
    private func countBytes(valid: Size, rowLength: Int) -> Int {
        let bytes = pointer.assumingMemoryBound(to: UInt8.self)
        let sampleSize = dataType.byteSize
        let checked = noData.indices.filter { noData[$0] != nil }
        var found = 0
        for row in 0..<valid.height {
            for col in 0..<valid.width {
                let pixel = (row * rowLength + col) * bytesPerPixel
                let allNoData = checked.allSatisfy { band in
                    (0..<sampleSize).allSatisfy { bytes[pixel + band * sampleSize + $0] == fillPixel[band * sampleSize + $0] }
                }
                if allNoData { found += 1 }
            }
        }
        return found
    }
}
