/// The file format of written tiles.
public enum TileFormat: String, CaseIterable, Sendable, Codable {
    case gtiff, cog, png, jpeg

    public var fileExtension: String {
        switch self {
        case .gtiff, .cog: return "tif"
        case .png: return "png"
        case .jpeg: return "jpg"
        }
    }

    var driver: String {
        switch self {
        case .gtiff: return "GTiff"
        case .cog: return "COG"
        case .png: return "PNG"
        case .jpeg: return "JPEG"
        }
    }

    /// GeoTIFF and COG carry compression, predictors and georeferencing inside
    /// the file; PNG and JPEG get theirs from a GDAL .aux.xml sidecar.
    var isTIFF: Bool { self == .gtiff || self == .cog }
}
