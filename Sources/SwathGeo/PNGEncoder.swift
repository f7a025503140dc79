import CGDAL
import Synchronization

/// Encodes 8-bit RGBA pixels as PNG bytes with GDAL's PNG driver, in memory.
public enum PNGEncoder {
    private static let counter = Atomic<Int>(0)

    /// `pixels` holds `size.width × size.height` RGBA quadruples, row by row.
    /// `compressionLevel` is zlib's 1 (fastest) to 9 (smallest).
    public static func encodeRGBA(_ pixels: UnsafeMutableRawPointer, size: Size, compressionLevel: Int = 6) throws -> [UInt8] {
        let source = try Raster.wrapping(pixels, size: size, bandCount: 4, dataType: .byte)
        let path = "/vsimem/swath-png-\(counter.add(1, ordering: .relaxed).oldValue).png"
        defer { VSIUnlink(path) }
        try Raster.createCopy(of: source, to: path, driver: "PNG", options: ["ZLEVEL=\(compressionLevel)"])
        var length: vsi_l_offset = 0
        guard let data = VSIGetMemFileBuffer(path, &length, 0) else {
            throw GeoError.writeFailed(path: path, reason: "the PNG driver wrote nothing")
        }
        return [UInt8](UnsafeBufferPointer(start: data, count: Int(length)))
    }
}
