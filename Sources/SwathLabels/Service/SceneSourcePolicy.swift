/// Which scene URIs a manager may register over HTTP. GDAL follows network
/// paths (/vsicurl/, /vsis3/…), so an unchecked URI would let an API caller
/// make the server fetch arbitrary internal addresses. By default local
/// files are allowed and network paths are not; `allowedPrefixes` opens
/// exactly the buckets or folders an operator lists. The command line (on
/// the server machine) is not restricted.
public struct SceneSourcePolicy: Sendable {
    public var allowedPrefixes: [String]

    public init(allowedPrefixes: [String] = []) {
        self.allowedPrefixes = allowedPrefixes
    }

    static let networkPrefixes = ["/vsicurl", "/vsis3", "/vsigs", "/vsiaz", "/vsiadls", "/vsioss", "/vsiswift", "/vsiwebhdfs",
                                  "/vsihdfs", "http:", "https:", "ftp:"]

    public func check(_ uri: String, by caller: User) throws {
        guard caller.id != User.commandLine.id else { return }
        if !allowedPrefixes.isEmpty {
            guard allowedPrefixes.contains(where: { uri.hasPrefix($0) }) else {
                throw LabelingError.forbidden("scene URI '\(uri)' is outside the sources this server allows "
                    + "(\(allowedPrefixes.joined(separator: ", ")))")
            }
            return
        }
        let lowered = uri.lowercased()
        if Self.networkPrefixes.contains(where: { lowered.hasPrefix($0) }) || lowered.contains("/vsicurl") {
            throw LabelingError.forbidden("network scene URIs need the server to allow their prefix (swath serve --scene-source)")
        }
        guard uri.hasPrefix("/") else { throw LabelingError.invalid("scene URI '\(uri)' must be an absolute path or an allowed GDAL URI") }
    }
}
