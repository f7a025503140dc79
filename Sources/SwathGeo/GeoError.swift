import CGDAL
import Foundation

/// Errors from the geo layer. Each names the input it is about and says why,
/// so the CLI can print it as one line.
public enum GeoError: Error, Equatable, Sendable, CustomStringConvertible {
    case fileNotFound(path: String)
    case notARaster(path: String, reason: String)
    case unreadable(path: String, reason: String)
    case invalidRaster(path: String, reason: String)
    case writeFailed(path: String, reason: String)
    case invalidArgument(name: String, reason: String)
    case projection(reason: String)

    /// Why, without the path: for a caller whose own message already names it.
    public var reason: String {
        switch self {
        case .writeFailed(_, let reason), .unreadable(_, let reason), .invalidArgument(_, let reason),
             .notARaster(_, let reason), .invalidRaster(_, let reason), .projection(let reason):
            return reason
        case .fileNotFound: return "no such file"
        }
    }

    public var description: String {
        switch self {
        case .fileNotFound(let path): return "\(path): no such file"
        case .notARaster(let path, let reason): return "\(path): not a raster GDAL can read (\(reason))"
        case .unreadable(let path, let reason): return "\(path): read failed: \(reason)"
        case .invalidRaster(let path, let reason): return "\(path): \(reason)"
        case .writeFailed(let path, let reason): return "\(path): write failed: \(reason)"
        case .invalidArgument(let name, let reason): return "\(name): \(reason)"
        case .projection(let reason): return "projection: \(reason)"
        }
    }
}

/// The message GDAL recorded for the current thread, cleaned for one-line output.
enum GDALLastError {
    static func message(default fallback: String) -> String {
        guard let raw = CPLGetLastErrorMsg() else { return fallback }
        let text = String(cString: raw)
            .replacingOccurrences(of: "\n", with: " ")
            .trimmingCharacters(in: .whitespaces)
        return text.isEmpty ? fallback : text
    }

    static func reset() {
        CPLErrorReset()
    }

    /// Whether GDAL recorded a failure (CE_Failure or worse) since the last reset.
    static var happened: Bool { CPLGetLastErrorType().rawValue >= CE_Failure.rawValue }
}
