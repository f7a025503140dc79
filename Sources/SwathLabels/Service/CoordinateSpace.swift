/// The coordinates label geometry is sent or asked for in.
public enum CoordinateSpace: String, Sendable, CaseIterable {
    /// RFC 7946: WGS84 longitude, latitude (the default).
    case wgs84
    /// The scene's own CRS.
    case scene
    /// The task's pixel grid: (0, 0) is the task tile's top-left corner, x right, y down.
    case pixel

    /// Parses the `crs` query value; nil and "wgs84"/"EPSG:4326" mean WGS84.
    public init(query: String?) throws {
        switch query?.lowercased() {
        case nil, "", "wgs84", "epsg:4326", "crs84": self = .wgs84
        case "scene": self = .scene
        case "pixel": self = .pixel
        case let other?: throw LabelingError.invalid("crs '\(other)' is not one of wgs84, scene, pixel")
        }
    }

    var label: String {
        switch self {
        case .wgs84: return "EPSG:4326"
        case .scene: return "scene"
        case .pixel: return "pixel"
        }
    }
}
