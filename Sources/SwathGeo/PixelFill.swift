/// Fills `pixelCount` pixels of interleaved memory with one pixel's bytes
/// (each band's nodata, say): the first copy by hand, then doubling memcpys,
/// log₂(n) calls instead of one per pixel.
public func fillPixels(_ pointer: UnsafeMutableRawPointer, count pixelCount: Int, with pixel: [UInt8]) {
    let total = pixelCount * pixel.count
    guard total > 0 else { return }
    pixel.withUnsafeBytes { pointer.copyMemory(from: $0.baseAddress!, byteCount: pixel.count) }
    var filled = pixel.count
    while filled < total {
        let chunk = min(filled, total - filled)
        (pointer + filled).copyMemory(from: pointer, byteCount: chunk)
        filled += chunk
    }
}
