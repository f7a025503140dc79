import Foundation
import Synchronization

extension ObjectPrefix {
    /// Uploads every file under the local `folder` (hidden names skipped: temporaries)
    /// under the same relative names, `concurrency` at a time, then the files named in
    /// `last`, in that order: a catalog or manifest appears only once what it lists is there.
    /// `includeHidden` for a finished folder whose formats use dot-names (Zarr's `.zarray`, `.zattrs`).
    public func uploadFolder(_ folder: URL, last: [String], concurrency: Int = 8, includeHidden: Bool = false) throws {
        let names = try Self.files(in: folder, includeHidden: includeHidden)
        let first = names.filter { !last.contains($0) }
        let firstError = Mutex<Error?>(nil)
        DispatchQueue.concurrentPerform(iterations: max(1, min(concurrency, first.count))) { lane in
            for index in stride(from: lane, to: first.count, by: max(1, min(concurrency, first.count))) {
                guard firstError.withLock({ $0 == nil }) else { return }
                do {
                    try upload(from: folder.appendingPathComponent(first[index]).path, as: first[index])
                } catch {
                    firstError.withLock { if $0 == nil { $0 = error } }
                }
            }
        }
        if let error = firstError.withLock({ $0 }) { throw error }
        for name in last where names.contains(name) {
            try upload(from: folder.appendingPathComponent(name).path, as: name)
        }
    }

    /// Relative paths of the regular files under `folder`, hidden ones left out unless asked for.
    static func files(in folder: URL, includeHidden: Bool = false) throws -> [String] {
        guard let walker = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: [.isRegularFileKey],
                                                          options: includeHidden ? [] : [.skipsHiddenFiles]) else {
            throw GeoError.unreadable(path: folder.path, reason: "cannot list the staged files")
        }
        var names: [String] = []
        let base = folder.standardizedFileURL.path
        for case let url as URL in walker where (try url.resourceValues(forKeys: [.isRegularFileKey])).isRegularFile == true {
            names.append(String(url.standardizedFileURL.path.dropFirst(base.count + 1)))
        }
        return names.sorted()
    }
}
