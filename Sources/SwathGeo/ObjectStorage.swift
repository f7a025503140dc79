import CGDAL
import Foundation

/// Object storage as the AWS SDKs configure it, for GDAL's `/vsis3/`.
///
/// GDAL already reads the SDK's credentials and region (`AWS_ACCESS_KEY_ID`,
/// `AWS_SECRET_ACCESS_KEY`, `AWS_SESSION_TOKEN`, `AWS_REGION`, `AWS_PROFILE`,
/// `~/.aws`); what it names differently is the endpoint of an S3-compatible
/// store (MinIO, Ceph, moto): the SDK's `AWS_ENDPOINT_URL_S3` or
/// `AWS_ENDPOINT_URL` becomes GDAL's `AWS_S3_ENDPOINT`, `AWS_HTTPS` and
/// path-style addressing. Nothing here ever prints a secret.
public enum ObjectStorage {
    /// The SDK's endpoint variables, the service-specific one first.
    public static let endpointVariables = ["AWS_ENDPOINT_URL_S3", "AWS_ENDPOINT_URL"]

    /// GDAL's settings for the endpoint the environment names; empty when it
    /// names none, or when GDAL's own `AWS_S3_ENDPOINT` is set (it wins).
    public static func gdalSettings(environment: [String: String]) throws -> [String: String] {
        guard environment["AWS_S3_ENDPOINT"] == nil,
              let (name, value) = endpointVariables.lazy.compactMap({ name in environment[name].map { (name, $0) } })
                  .first(where: { !$0.1.isEmpty }) else { return [:] }
        if value.contains("@") {
            // Never echoed: it may carry a password.
            throw GeoError.invalidArgument(name: name, reason: "carries credentials; give them in AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY")
        }
        guard let url = URLComponents(string: value), let scheme = url.scheme?.lowercased(), ["http", "https"].contains(scheme),
              let host = url.host, !host.isEmpty, url.query == nil else {
            throw GeoError.invalidArgument(name: name, reason: "'\(value)' is not an endpoint URL such as http://127.0.0.1:9000")
        }
        let bare = host.trimmingCharacters(in: CharacterSet(charactersIn: "[]"))
        var endpoint = bare.contains(":") ? "[\(bare)]" : bare  // an IPv6 address keeps its brackets
        if let port = url.port { endpoint += ":\(port)" }
        let path = url.path.hasSuffix("/") ? String(url.path.dropLast()) : url.path
        endpoint += path
        return ["AWS_S3_ENDPOINT": endpoint, "AWS_HTTPS": scheme == "https" ? "YES" : "NO", "AWS_VIRTUAL_HOSTING": "FALSE"]
    }

    /// Applies `gdalSettings` to the process's GDAL configuration.
    public static func configure(environment: [String: String] = ProcessInfo.processInfo.environment) throws {
        GDALRuntime.start()
        for (key, value) in try gdalSettings(environment: environment) { CPLSetConfigOption(key, value) }
    }

    /// The GDAL path of a scene: `s3://bucket/key` is `/vsis3/bucket/key`; anything else is unchanged.
    public static func gdalPath(_ path: String) -> String {
        guard path.lowercased().hasPrefix("s3://") else { return path }
        return "/vsis3/" + path.dropFirst("s3://".count)
    }

    /// Whether `path` is read over the network (an object store or HTTP), not from a local disk.
    public static func isRemote(_ path: String) -> Bool {
        let gdal = gdalPath(path)
        return ["/vsicurl", "/vsis3", "/vsigs", "/vsiaz", "/vsiadls", "/vsioss", "/vsiswift", "/vsiwebhdfs"].contains { gdal.hasPrefix($0) }
    }
}
