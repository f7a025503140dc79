import SwathGeo

/// Absolute links of the STAC API: clients follow hrefs as given, so each is
/// `http://host/api/v1/stac/…`, the host being the one the request came to.
public struct StacLinks: Sendable {
    /// `http://host:port`, no trailing slash.
    public let origin: String

    public static let root = "/api/v1/stac"

    /// From the request's Host header; one that is not a plain host[:port] is not echoed.
    public init(host: String?) {
        let allowed = host.map { $0.count <= 255 && !$0.isEmpty && $0.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || ".-:[]".contains($0)) } }
        origin = "http://" + (allowed == true ? host! : "127.0.0.1")
    }

    public func href(_ path: String) -> String { origin + Self.root + path }

    /// A chip file of a release (the release's own route, outside the STAC tree).
    public func chipFile(release: Int64, chip: String, file: String) -> String {
        origin + "/api/v1/releases/\(release)/chips/\(chip)/\(file)"
    }

    func link(_ rel: String, _ path: String, type: String = "application/json", extra: [String: JSONValue] = [:]) -> JSONValue {
        var fields: [String: JSONValue] = ["rel": .string(rel), "href": .string(href(path)), "type": .string(type)]
        fields.merge(extra) { $1 }
        return .object(fields)
    }
}
