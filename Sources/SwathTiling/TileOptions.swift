/// Everything `swath tile` can be told. `validate` turns bad values into one
/// clear message before any work starts.
public struct TileOptions: Sendable, Equatable {
    public var size: Int = 512
    public var overlap: Int = 0
    public var format: TileFormat = .gtiff
    /// nil: DEFLATE for GeoTIFF/COG (GDAL's level), not applicable to PNG/JPEG.
    public var compression: Compression? = nil
    public var level: Int? = nil
    /// TIFF predictor: 1 none, 2 horizontal differencing (integers), 3 floating point.
    public var predictor: Int? = nil
    /// JPEG quality, 1…100 (GDAL's default 75 when nil).
    public var quality: Int? = nil
    public var edge: EdgeMode = .pad
    public var skipEmpty: Bool = false
    /// 1-based source bands in output order; nil means all.
    public var bands: [Int]? = nil
    public var threads: Int = TileOptions.defaultThreads
    public var resume: Bool = false
    /// This run's part of a sharded job (nil: the whole grid). A shard always keeps what it finished before.
    public var shard: TileShard? = nil

    public init() {}

    public static var defaultThreads: Int { max(1, ProcessInfo.processInfo.activeProcessorCount) }

    public var stride: Int { size - overlap }

    public var effectiveCompression: Compression? {
        format.isTIFF ? (compression ?? .deflate) : nil
    }

    /// Checks the values that do not depend on the scene.
    public func validate() throws {
        guard size > 0 else { throw TilingError.invalidOption("--size", "must be a positive number of pixels, got \(size)") }
        guard size <= 65_536 else { throw TilingError.invalidOption("--size", "\(size) pixels is larger than the 65536 a tile may be") }
        guard overlap >= 0 else { throw TilingError.invalidOption("--overlap", "must be 0 or more, got \(overlap)") }
        guard overlap < size else {
            throw TilingError.invalidOption("--overlap", "\(overlap) must be smaller than --size \(size) (the grid would not advance)")
        }
        guard threads >= 1, threads <= 256 else { throw TilingError.invalidOption("--threads", "must be 1…256, got \(threads)") }
        if let bands {
            guard !bands.isEmpty else { throw TilingError.invalidOption("--bands", "names no band") }
            if let bad = bands.first(where: { $0 < 1 }) {
                throw TilingError.invalidOption("--bands", "band \(bad) does not exist: bands are numbered from 1")
            }
        }
        try validateCodec()
    }

    private func validateCodec() throws {
        if !format.isTIFF {
            if compression != nil { throw TilingError.invalidOption("--compress", "applies to gtiff and cog tiles, not \(format.rawValue)") }
            if predictor != nil { throw TilingError.invalidOption("--predictor", "applies to gtiff and cog tiles, not \(format.rawValue)") }
            if level != nil { throw TilingError.invalidOption("--level", "applies to gtiff and cog tiles, not \(format.rawValue)") }
        }
        if let quality {
            guard format == .jpeg else { throw TilingError.invalidOption("--quality", "applies to jpeg tiles only") }
            guard (1...100).contains(quality) else { throw TilingError.invalidOption("--quality", "must be 1…100, got \(quality)") }
        }
        if let level, let codec = effectiveCompression {
            guard let range = codec.levelRange else {
                throw TilingError.invalidOption("--level", "\(codec.rawValue) has no compression level")
            }
            guard range.contains(level) else {
                throw TilingError.invalidOption("--level", "\(codec.rawValue) takes \(range.lowerBound)…\(range.upperBound), got \(level)")
            }
        }
        if let predictor {
            guard [1, 2, 3].contains(predictor) else { throw TilingError.invalidOption("--predictor", "must be 1, 2 or 3, got \(predictor)") }
            if effectiveCompression == Compression.none, predictor != 1 {
                throw TilingError.invalidOption("--predictor", "needs a codec (--compress deflate, zstd or lzw)")
            }
        }
    }
}

import Foundation
