/// Lossless codecs for GeoTIFF and COG tiles, with the level range GDAL accepts.
public enum Compression: String, CaseIterable, Sendable, Codable {
    case deflate, zstd, lzw, none

    var levelRange: ClosedRange<Int>? {
        switch self {
        case .deflate: return 1...9
        case .zstd: return 1...22
        case .lzw, .none: return nil
        }
    }

    var gdalName: String { rawValue.uppercased() }
}
