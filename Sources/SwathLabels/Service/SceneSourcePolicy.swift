import Foundation

/// Which scene URIs a manager may register over HTTP. GDAL follows network
/// paths (/vsicurl/, /vsis3/…) and reads any local file, so an unchecked URI
/// would let an API caller make the server fetch internal addresses or open
/// its own database. The URI is parsed as a GDAL handler chain (`SceneSource`);
/// every network location in it must lie under an allowed prefix; local paths
/// are resolved (`..` and symlinks) and, once any source is listed, must
/// lie under a listed folder by whole path components; the server's own files
/// are refused whatever the list says. The command line (an operator on
/// their own machine) is not restricted.
public struct SceneSourcePolicy: Sendable {
    /// `--scene-source` values: local folders and network prefixes such as `/vsis3/bucket/`.
    public var allowedPrefixes: [String]
    /// The database, overview folder, chip cache, web folder…: never a scene.
    public var protectedPaths: [String]

    /// GDAL drivers a scene named over HTTP is opened with: GeoTIFF and COG,
    /// which hold their pixels themselves (a VRT, for one, names other files).
    public static let rasterDrivers = ["GTiff"]

    public init(allowedPrefixes: [String] = [], protectedPaths: [String] = []) {
        self.allowedPrefixes = allowedPrefixes
        self.protectedPaths = protectedPaths
    }

    /// `allowingFolders`: a local folder passes too (a Zarr store is one), if no protected file lies inside it.
    public func check(_ uri: String, by caller: User, allowingFolders: Bool = false) throws {
        guard caller.id != User.commandLine.id else { return }
        try check(uri, allowingFolders: allowingFolders)
    }

    func check(_ uri: String, allowingFolders: Bool = false) throws {
        let source = try SceneSource.parse(uri)
        switch source.root {
        case .local(let path): try checkLocal(path, uri: uri, allowingFolders: allowingFolders)
        case .network(let handler, let location): try checkNetwork(handler: handler, location: location, uri: uri)
        case .archive: throw SceneSource.refusal(uri, "could not be resolved")
        }
    }

    private func checkLocal(_ lexical: String, uri: String, allowingFolders: Bool) throws {
        // With no list, any local file may be a scene; once the operator lists sources, only listed folders.
        let folders = localFolders
        if !allowedPrefixes.isEmpty, !folders.contains(where: { Self.isWithin(lexical, $0) }) {
            throw LabelingError.forbidden("scene URI '\(uri)' is outside the folders this server allows")
        }
        // Symlinks are resolved only once the lexical path passed, so the check never touches other files.
        guard let resolved = Self.realPath(lexical) else { throw LabelingError.invalid("scene URI '\(uri)': no such file") }
        // A device or a FIFO (/dev/stdin, /dev/zero) would stall or flood the reader.
        let folder = allowingFolders && Self.isFolder(resolved)
        guard folder || Self.isRegularFile(resolved) else { throw LabelingError.invalid("scene URI '\(uri)' is not a regular file") }
        if !allowedPrefixes.isEmpty, !folders.contains(where: { Self.isWithin(resolved, Self.realPath($0) ?? $0) }) {
            throw LabelingError.forbidden("scene URI '\(uri)' leads (through a link) outside the folders this server allows")
        }
        for protected in protectedPaths {
            let target = Self.realPath(protected) ?? protected
            if Self.isWithin(resolved, target) || resolved.hasPrefix(target + "-") || (folder && Self.isWithin(target, resolved)) {
                throw LabelingError.forbidden("scene URI '\(uri)' is one of the server's own files")
            }
        }
    }

    private func checkNetwork(handler: String, location: String, uri: String) throws {
        let full = "/\(handler)/\(location)"
        let allowed = allowedPrefixes.filter { $0.hasPrefix("/vsi") }.contains { prefix in
            full.hasPrefix(prefix) && (prefix.hasSuffix("/") || full.count == prefix.count
                || "/?#".contains(full[full.index(full.startIndex, offsetBy: prefix.count)]))
        }
        guard allowed else {
            throw LabelingError.forbidden("network scene URI '\(uri)' is not under a source this server allows (swath serve --scene-source)")
        }
    }

    private var localFolders: [String] {
        allowedPrefixes.filter { !$0.hasPrefix("/vsi") }.compactMap { try? SceneSource.normalised($0, in: $0) }
    }

    /// `/data/scenes/a.tif` is within `/data/scenes`, `/data/scenes2/a.tif` is not.
    static func isWithin(_ path: String, _ folder: String) -> Bool {
        folder == "/" || path == folder || path.hasPrefix(folder.hasSuffix("/") ? folder : folder + "/")
    }

    static func isRegularFile(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFREG
    }

    static func isFolder(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR
    }

    static func realPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }
}
