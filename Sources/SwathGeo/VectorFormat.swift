/// The vector formats Swath reads labels from, recognised by their first
/// bytes rather than a file name a caller chose. Each is self-contained:
/// none can name another file, a database or a URL for GDAL to follow, as an
/// OGR VRT, a CSV with a sidecar or a GML with xlinks can.
public enum VectorFormat: String, CaseIterable, Sendable {
    case geoJSON = "GeoJSON"
    case geoPackage = "GPKG"
    /// A shapefile: its parts zipped together (uploads), or a .shp path on the command line.
    case shapefile = "ESRI Shapefile"
    case flatGeobuf = "FlatGeobuf"

    /// What a file holds, from its first bytes; nil when it is none of these.
    public static func sniff(_ header: [UInt8]) -> (format: VectorFormat, zipped: Bool)? {
        if header.starts(with: Array("SQLite format 3\0".utf8)) { return (.geoPackage, false) }
        if header.starts(with: [0x66, 0x67, 0x62, 0x03]) { return (.flatGeobuf, false) }       // "fgb" 3
        if header.starts(with: [0x50, 0x4B, 0x03, 0x04]) { return (.shapefile, true) }         // a zip: shapefile parts
        if header.starts(with: [0x00, 0x00, 0x27, 0x0A]) { return (.shapefile, false) }        // .shp file code 9994
        var bytes = header[...]
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes = bytes.dropFirst(3) }               // UTF-8 byte order mark
        if let first = bytes.first(where: { ![0x20, 0x09, 0x0A, 0x0D].contains($0) }), first == UInt8(ascii: "{") {
            return (.geoJSON, false)
        }
        return nil
    }

    public static var names: String { allCases.map(\.rawValue).joined(separator: ", ") }
}
