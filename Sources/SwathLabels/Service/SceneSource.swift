/// A scene URI taken apart the way GDAL would read it: a chain of virtual
/// file systems around a local path or a network location. Parsing it, rather
/// than looking for prefixes, is what stops `/vsizip//vsicurl/http://…` or
/// `/data/allowed/../../etc` from walking around the scene-source rule.
indirect enum SceneSource: Equatable {
    /// An absolute local path, `.` and `..` already resolved lexically.
    case local(path: String)
    /// A network handler (`/vsis3/`, `/vsicurl/`…) and what follows it, `..`-free.
    case network(handler: String, location: String)
    /// An archive or compression layer (`/vsizip/`, `/vsitar/`, `/vsigzip/`) around another source.
    case archive(handler: String, inner: SceneSource, member: String)

    static let networkHandlers: Set<String> = ["vsicurl", "vsis3", "vsigs", "vsiaz", "vsiadls", "vsioss", "vsiswift",
                                               "vsiwebhdfs", "vsihdfs"]
    static let archiveHandlers: Set<String> = ["vsizip", "vsitar", "vsigzip"]

    /// The source's innermost location: what an allowed prefix must cover.
    var root: SceneSource {
        if case .archive(_, let inner, _) = self { return inner.root }
        return self
    }

    static func parse(_ uri: String) throws -> SceneSource {
        guard !uri.isEmpty, uri.utf8.count <= 4096 else { throw refusal(uri, "is empty or longer than 4096 bytes") }
        guard !uri.contains("\0"), !uri.unicodeScalars.contains(where: { $0.value < 0x20 }) else {
            throw refusal(uri, "contains control characters")
        }
        guard uri.hasPrefix("/") else {
            throw refusal(uri, "must be an absolute path or a GDAL /vsi…/ URI (driver prefixes such as 'HDF5:' or URLs are not accepted)")
        }
        guard uri.hasPrefix("/vsi") else { return .local(path: try normalised(uri, in: uri)) }
        let afterSlash = uri.dropFirst()
        let handler = String(afterSlash.prefix { $0 != "/" && $0 != "?" })
        let rest = String(uri.dropFirst(handler.count + 2))
        guard uri.count > handler.count + 1, uri[uri.index(uri.startIndex, offsetBy: handler.count + 1)] == "/" else {
            throw refusal(uri, "names GDAL handler '/\(handler)' without a path after it")
        }
        if networkHandlers.contains(handler) {
            guard !rest.isEmpty, !hasDotSegment(rest) else { throw refusal(uri, "has an empty location or a '.'/'..' segment") }
            guard !rest.contains("/vsi") else { throw refusal(uri, "chains another GDAL handler inside a network one") }
            return .network(handler: handler, location: rest)
        }
        if archiveHandlers.contains(handler) {
            let (inner, member) = try splitArchive(rest, handler: handler, uri: uri)
            guard !hasDotSegment(member) else { throw refusal(uri, "has a '.'/'..' segment inside the archive") }
            return .archive(handler: handler, inner: try parse(inner), member: member)
        }
        throw refusal(uri, "uses GDAL handler '/\(handler)/', which scenes may not use (allowed: archives \(archiveHandlers.sorted().joined(separator: ", ")) and the network handlers the server lists)")
    }

    /// `/vsizip/{archive}/member`, or `/vsizip/path/to/a.zip/member` split at the archive's extension.
    private static func splitArchive(_ rest: String, handler: String, uri: String) throws -> (String, String) {
        if rest.hasPrefix("{") {
            var depth = 0
            for index in rest.indices {
                if rest[index] == "{" { depth += 1 }
                if rest[index] == "}" { depth -= 1 }
                if depth == 0 {
                    let inner = String(rest[rest.index(after: rest.startIndex)..<index])
                    return (inner, String(rest[rest.index(after: index)...]))
                }
            }
            throw refusal(uri, "has an unclosed '{'")
        }
        if handler == "vsigzip" { return (rest, "") }
        let extensions = handler == "vsizip" ? [".zip"] : [".tar.gz", ".tgz", ".tar"]
        let lowered = rest.lowercased()
        for ext in extensions {
            if let range = lowered.range(of: ext + "/") ?? (lowered.hasSuffix(ext) ? lowered.range(of: ext, options: .backwards) : nil) {
                let cut = rest.index(rest.startIndex, offsetBy: lowered.distance(from: lowered.startIndex, to: range.upperBound))
                let archive = String(rest[..<cut]).hasSuffix("/") ? String(rest[..<cut].dropLast()) : String(rest[..<cut])
                return (archive, String(rest[cut...]))
            }
        }
        throw refusal(uri, "names no \(extensions.joined(separator: "/")) archive after /\(handler)/")
    }

    /// `/a/./b/../c` → `/a/c`; refuses to climb above the root.
    static func normalised(_ path: String, in uri: String) throws -> String {
        var parts: [Substring] = []
        for part in path.split(separator: "/", omittingEmptySubsequences: true) {
            switch part {
            case ".": continue
            case "..":
                guard !parts.isEmpty else { throw refusal(uri, "climbs above the root with '..'") }
                parts.removeLast()
            default: parts.append(part)
            }
        }
        return "/" + parts.joined(separator: "/")
    }

    static func hasDotSegment(_ text: String) -> Bool {
        text.split(whereSeparator: { $0 == "/" || $0 == "\\" || $0 == "?" || $0 == "#" }).contains { $0 == ".." || $0 == "." }
            || text.lowercased().contains("%2e")
    }

    static func refusal(_ uri: String, _ reason: String) -> LabelingError {
        LabelingError.invalid("scene URI '\(uri)' \(reason)")
    }
}
