import SwathGeo

/// Turns warped samples into an 8-bit RGBA PNG: each band stretched
/// linearly between its low and high value (clamped), one band drawn as
/// grey, and transparent wherever the scene had no data.
enum TileRenderer {
    /// The fastest level: imagery barely compresses harder, and encoding is a
    /// large share of a cold tile's time.
    static let compressionLevel = 1

    /// The PNG, or nil when no pixel of the tile has data.
    static func render(_ pixels: TileWarper.Pixels, ranges: [(low: Float, high: Float)]) throws -> [UInt8]? {
        let count = pixels.size * pixels.size
        let planes = TileWarper.Pixels.planes
        let channels = ranges.count == 1 ? [0, 0, 0] : [0, 1, 2]
        let lows = channels.map { ranges[$0].low }
        let scales = channels.map { 255 / (ranges[$0].high - ranges[$0].low) }
        var anyData = false
        var rgba = [UInt8](repeating: 0, count: count * 4)
        rgba.withUnsafeMutableBufferPointer { out in
            let samples = pixels.values
            for pixel in 0..<count {
                let base = pixel * planes
                guard samples[base + planes - 1] > 0 else { continue }
                anyData = true
                for channel in 0..<3 {
                    let scaled = (samples[base + channels[channel]] - lows[channel]) * scales[channel] + 0.5
                    // Truncating after +0.5 rounds half up; NaN (an undeclared gap) fails >= and is black.
                    out[pixel * 4 + channel] = scaled >= 0 ? UInt8(min(scaled, 255)) : 0
                }
                out[pixel * 4 + 3] = 255
            }
        }
        guard anyData else { return nil }
        return try rgba.withUnsafeMutableBytes {
            try PNGEncoder.encodeRGBA($0.baseAddress!, size: Size(width: pixels.size, height: pixels.size),
                                      compressionLevel: compressionLevel)
        }
    }
}
