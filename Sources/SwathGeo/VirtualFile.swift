import CGDAL
import Foundation

/// Files by GDAL path (a local path, `/vsimem/…`, `/vsis3/…`), for code above
/// SwathGeo that stages files where GDAL, not the OS, can see them.
public enum VirtualFile {
    /// `reportingErrors`: a network path's reason for not being there (no bucket, refused key)
    /// is kept in VSI's error slot, for `VSIGetLastErrorMsg`.
    public static func exists(_ path: String, reportingErrors: Bool = false) -> Bool {
        GDALRuntime.start()
        let flags = VSI_STAT_EXISTS_FLAG | (reportingErrors ? VSI_STAT_SET_ERROR_FLAG : 0)
        // VSIStatBufL is `struct stat64`, which Swift sees only as an opaque pointer: room for it on the stack.
        return withUnsafeTemporaryAllocation(byteCount: 4 * MemoryLayout<stat>.size, alignment: 16) { buffer in
            VSIStatExL(path, OpaquePointer(buffer.baseAddress), flags) == 0
        }
    }

    /// Drops what GDAL remembers of a network path (its size, whether it exists), so the next look asks the store.
    public static func forgetCached(_ path: String) {
        VSICurlPartialClearCache(path)
    }

    /// The HTTP headers a network path's store answers with (ETag, Content-Length…), names lower-cased;
    /// empty for a local path or when the store does not answer.
    public static func headers(_ path: String) -> [String: String] {
        GDALRuntime.start()
        VSICurlPartialClearCache(path)
        let list = VSIGetFileMetadata(path, "HEADERS", nil)
        defer { CSLDestroy(list) }
        var found: [String: String] = [:]
        var index = 0
        while let entry = list?[index] {
            let parts = String(cString: entry).split(separator: "=", maxSplits: 1).map(String.init)
            if parts.count == 2 { found[parts[0].lowercased()] = parts[1].trimmingCharacters(in: .whitespaces) }
            index += 1
        }
        return found
    }

    /// Removes `path` if it is there.
    public static func remove(_ path: String) {
        VSIUnlink(path)
    }

    /// Removes the folder `path` and everything in it (a `/vsimem/` staging area).
    public static func removeFolder(_ path: String) {
        VSIRmdirRecursive(path)
    }
}
