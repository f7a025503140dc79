import CGDAL
import Foundation

/// A folder-like place in an S3 bucket (`s3://bucket/prefix/` or `/vsis3/bucket/prefix/`),
/// written one whole object at a time through GDAL's `/vsis3/`.
///
/// S3 shows an object only once its upload has completed, so an object under
/// its final key is always whole; an upload that fails is retried with backoff
/// and then reported, naming the URI. Credentials and the endpoint come from
/// the AWS SDK's environment (`ObjectStorage.configure`); no message carries a secret.
public struct ObjectPrefix: Sendable, Equatable, CustomStringConvertible {
    public let bucket: String
    /// Empty, or ending in `/`.
    public let prefix: String

    /// Uploads tried before a failure is reported.
    public static let uploadAttempts = 4
    /// Objects read back whole (journals, indexes) are refused beyond this.
    public static let maximumReadBytes = 256 << 20

    /// The place `text` names, nil when it is not an S3 URI; throws when it is one but malformed.
    public static func parse(_ text: String, option: String = "--out") throws -> ObjectPrefix? {
        let rest: Substring
        if text.lowercased().hasPrefix("s3://") {
            rest = text.dropFirst("s3://".count)
        } else if text.hasPrefix("/vsis3/") {
            rest = text.dropFirst("/vsis3/".count)
        } else {
            return nil
        }
        let parts = rest.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
        let bucket = String(parts[0])
        guard Self.isBucketName(bucket) else {
            throw GeoError.invalidArgument(name: option, reason: "'\(text)' does not name an S3 bucket "
                + "(3–63 lowercase letters, digits, dots and hyphens)")
        }
        var key = parts.count > 1 ? String(parts[1]) : ""
        let segments = key.split(separator: "/", omittingEmptySubsequences: false)
        if key.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F })
            || segments.dropLast().contains(where: { $0.isEmpty || $0 == "." || $0 == ".." })
            || segments.last == "." || segments.last == ".." {
            throw GeoError.invalidArgument(name: option, reason: "'\(text)' is not a usable key prefix "
                + "(no empty, '.' or '..' parts, no control characters)")
        }
        if !key.isEmpty, !key.hasSuffix("/") { key += "/" }
        return ObjectPrefix(bucket: bucket, prefix: key)
    }

    static func isBucketName(_ name: String) -> Bool {
        (3...63).contains(name.count) && name.allSatisfy { $0.isASCII && ($0.isLowercase || $0.isNumber || $0 == "." || $0 == "-") }
            && name.first.map { $0.isLetter || $0.isNumber } == true && name.last.map { $0.isLetter || $0.isNumber } == true
    }

    public var description: String { "s3://\(bucket)/\(prefix)" }

    /// `s3://bucket/prefix/name`: what messages show.
    public func uri(_ name: String) -> String { "s3://\(bucket)/\(prefix)\(name)" }

    /// `/vsis3/bucket/prefix/name`: what GDAL opens.
    public func gdalPath(_ name: String) -> String { "/vsis3/\(bucket)/\(prefix)\(name)" }

    /// A place under this one.
    public func appending(_ folder: String) -> ObjectPrefix {
        ObjectPrefix(bucket: bucket, prefix: prefix + (folder.hasSuffix("/") ? folder : folder + "/"))
    }

    // MARK: - Reading

    /// Fails unless the bucket exists and answers with these credentials.
    public func checkReachable() throws {
        VSICurlPartialClearCache("/vsis3/\(bucket)")
        VSIErrorReset()
        guard !VirtualFile.exists("/vsis3/\(bucket)", reportingErrors: true) else { return }
        throw GeoError.writeFailed(path: description, reason: Self.lastVSIError(default: "the bucket does not exist or cannot be reached"))
    }

    /// Every object under the prefix, by its name relative to it, with its size.
    /// Fresh each call: GDAL's cached listings of the prefix are dropped first.
    public func list() throws -> [String: Int] {
        try checkReachable()
        VSICurlPartialClearCache(gdalPath(""))
        var found: [String: Int] = [:]
        let folder = String(gdalPath("").dropLast())
        VSIErrorReset()
        guard let directory = VSIOpenDir(folder, -1, nil) else {
            // An empty prefix is no "directory" at all to S3.
            return found
        }
        defer { VSICloseDir(directory) }
        while let entry = VSIGetNextDirEntry(directory) {
            let isDirectory = entry.pointee.bModeKnown != 0 && (entry.pointee.nMode & S_IFMT) == S_IFDIR
            guard !isDirectory, let name = entry.pointee.pszName else { continue }
            found[String(cString: name)] = Int(clamping: entry.pointee.nSize)
        }
        return found
    }

    /// The names of the folders directly under the prefix (`v41`, `v42`), one level down only.
    public func subfolders() throws -> [String] {
        try checkReachable()
        VSICurlPartialClearCache(gdalPath(""))
        VSIErrorReset()
        guard let directory = VSIOpenDir(String(gdalPath("").dropLast()), 0, nil) else { return [] }
        defer { VSICloseDir(directory) }
        var found: [String] = []
        while let entry = VSIGetNextDirEntry(directory) {
            guard entry.pointee.bModeKnown != 0, (entry.pointee.nMode & S_IFMT) == S_IFDIR, let name = entry.pointee.pszName else { continue }
            found.append(String(cString: name))
        }
        return found.sorted()
    }

    /// Removes every object under the prefix (S3's batch delete, through GDAL).
    public func removeAll() throws {
        VSIErrorReset()
        let folder = String(gdalPath("").dropLast())
        guard VSIRmdirRecursive(folder) == 0 else {
            let reason = Self.lastVSIError(default: "")
            if reason.isEmpty || reason.contains("404") || reason.lowercased().contains("not found") { return }
            throw GeoError.writeFailed(path: description, reason: "cannot remove it: \(reason)")
        }
        VSICurlPartialClearCache(folder)
    }

    /// The whole object `name`, refused beyond `limit` bytes.
    public func read(_ name: String, limit: Int = ObjectPrefix.maximumReadBytes) throws -> [UInt8] {
        VSIErrorReset()
        guard let handle = VSIFOpenExL(gdalPath(name), "rb", 1) else {
            throw GeoError.unreadable(path: uri(name), reason: Self.lastVSIError(default: "no such object"))
        }
        defer { VSIFCloseL(handle) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 20)
        while true {
            let count = chunk.withUnsafeMutableBytes { VSIFReadL($0.baseAddress, 1, $0.count, handle) }
            bytes.append(contentsOf: chunk[0..<count])
            guard bytes.count <= limit else {
                throw GeoError.unreadable(path: uri(name), reason: "larger than the \(limit) bytes read whole")
            }
            if count < chunk.count { break }
        }
        guard VSIFEofL(handle) != 0 else {
            throw GeoError.unreadable(path: uri(name), reason: Self.lastVSIError(default: "the read stopped early"))
        }
        return bytes
    }

    // MARK: - Writing

    /// Uploads the bytes of `source` (any GDAL path: a local file, `/vsimem/…`) as `name`.
    public func upload(from source: String, as name: String) throws {
        try withRetries(name) { try put(name) { write in try Self.copy(from: source, into: write) } }
    }

    /// Uploads `bytes` as `name`.
    public func upload(_ bytes: [UInt8], as name: String) throws {
        try withRetries(name) {
            try put(name) { write in
                try bytes.withUnsafeBytes { buffer in
                    guard buffer.isEmpty || VSIFWriteL(buffer.baseAddress, 1, buffer.count, write) == buffer.count else {
                        throw UploadFailure(reason: Self.lastVSIError(default: "the upload stopped"))
                    }
                }
            }
        }
    }

    /// Removes `name`; an object that is already gone is no error.
    public func remove(_ name: String) throws {
        VSIErrorReset()
        guard VSIUnlink(gdalPath(name)) == 0 else {
            let reason = Self.lastVSIError(default: "")
            if reason.isEmpty || reason.contains("404") || reason.lowercased().contains("not found") { return }
            throw GeoError.writeFailed(path: uri(name), reason: "cannot remove it: \(reason)")
        }
    }

    private struct UploadFailure: Error { let reason: String }

    /// One PUT (or multipart upload, for large objects): nothing is visible under
    /// the key unless `VSIFCloseL` completed it.
    private func put(_ name: String, body: (UnsafeMutablePointer<VSILFILE>) throws -> Void) throws {
        VSIErrorReset()
        CPLErrorReset()
        guard let handle = VSIFOpenExL(gdalPath(name), "wb", 1) else {
            throw UploadFailure(reason: Self.lastVSIError(default: "cannot start the upload"))
        }
        do {
            try body(handle)
        } catch {
            VSIFCloseL(handle)
            throw error
        }
        guard VSIFCloseL(handle) == 0 else {
            throw UploadFailure(reason: Self.lastVSIError(default: "the store refused the upload"))
        }
    }

    /// Retries with doubling waits (0.25 s, 0.5 s, 1 s), then reports the last reason under the URI.
    private func withRetries(_ name: String, _ attempt: () throws -> Void) throws {
        var delay = 0.25
        for round in 1...Self.uploadAttempts {
            do {
                try attempt()
                return
            } catch let failure as UploadFailure {
                guard round < Self.uploadAttempts else {
                    throw GeoError.writeFailed(path: uri(name), reason: "\(failure.reason) (after \(round) attempts)")
                }
                Thread.sleep(forTimeInterval: delay)
                delay *= 2
            }
        }
    }

    private static func copy(from source: String, into write: UnsafeMutablePointer<VSILFILE>) throws {
        // A file staged in memory is written from GDAL's own buffer, not copied through ours.
        if source.hasPrefix("/vsimem/") {
            var length: vsi_l_offset = 0
            guard let bytes = VSIGetMemFileBuffer(source, &length, 0) else {
                throw GeoError.unreadable(path: source, reason: "the staged file is missing")
            }
            let count = Int(length)
            guard count == 0 || VSIFWriteL(bytes, 1, count, write) == count else {
                throw UploadFailure(reason: lastVSIError(default: "the upload stopped"))
            }
            return
        }
        guard let read = VSIFOpenL(source, "rb") else {
            throw GeoError.unreadable(path: source, reason: "the staged file is missing")
        }
        defer { VSIFCloseL(read) }
        var chunk = [UInt8](repeating: 0, count: 4 << 20)
        while true {
            let count = chunk.withUnsafeMutableBytes { VSIFReadL($0.baseAddress, 1, $0.count, read) }
            if count > 0 {
                let written = chunk.withUnsafeBytes { VSIFWriteL($0.baseAddress, 1, count, write) }
                guard written == count else { throw UploadFailure(reason: lastVSIError(default: "the upload stopped")) }
            }
            if count < chunk.count { return }
        }
    }

    /// GDAL's network errors land in VSI's error slot, others in CPL's: whichever has a message.
    static func lastVSIError(default fallback: String) -> String {
        let vsi = VSIGetLastErrorMsg().map { String(cString: $0) } ?? ""
        let text = vsi.isEmpty ? GDALLastError.message(default: "") : vsi
        let line = text.replacingOccurrences(of: "\n", with: " ").trimmingCharacters(in: .whitespaces)
        return line.isEmpty ? fallback : line
    }
}
