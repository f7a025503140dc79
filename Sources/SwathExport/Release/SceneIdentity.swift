import Crypto
import Foundation
import SwathGeo

/// What identifies a scene's file: its size, and its SHA-256 (a local file)
/// or the ETag its object store gives (S3 and other network paths, where
/// hashing would mean downloading it). A release records it; an export of the
/// release checks it, so a file replaced since is found, not silently used.
public struct SceneIdentity: Codable, Sendable, Equatable {
    public var bytes: Int64
    public var sha256: String?
    public var etag: String?

    /// Reads the file at `uri` (a path or GDAL network path).
    public static func of(_ uri: String) throws -> SceneIdentity {
        if uri.hasPrefix("/vsi") {
            return try remote(uri)
        }
        return try local(uri)
    }

    /// One line for a mismatch ("size 123 → 456"); nil when `now` is the same file.
    public func difference(from now: SceneIdentity) -> String? {
        if bytes != now.bytes { return "its size was \(bytes) bytes and is now \(now.bytes)" }
        if let sha256, sha256 != now.sha256 { return "its SHA-256 changed" }
        if let etag, etag != now.etag { return "its ETag changed" }
        return nil
    }

    private static func local(_ path: String) throws -> SceneIdentity {
        guard let handle = FileHandle(forReadingAtPath: path) else { throw GeoError.fileNotFound(path: path) }
        defer { try? handle.close() }
        var hasher = SHA256()
        var bytes: Int64 = 0
        while true {
            let chunk = try handle.read(upToCount: 4 << 20) ?? Data()
            if chunk.isEmpty { break }
            hasher.update(data: chunk)
            bytes += Int64(chunk.count)
        }
        return SceneIdentity(bytes: bytes, sha256: hasher.finalize().map { String(format: "%02x", $0) }.joined(), etag: nil)
    }

    private static func remote(_ path: String) throws -> SceneIdentity {
        let headers = VirtualFile.headers(path)
        guard let etag = headers["etag"], let length = headers["content-length"].flatMap({ Int64($0) }) else {
            throw GeoError.unreadable(path: path, reason: "the store gave no ETag and size for it")
        }
        return SceneIdentity(bytes: length, sha256: nil, etag: etag.trimmingCharacters(in: CharacterSet(charactersIn: "\"")))
    }
}
