import Foundation
import Synchronization
import SwathGeo
import SwathLabels

/// Rendered chips shared by servers on several machines through an S3 prefix
/// (`swath serve --chip-cache s3://…`), laid out as each server's own cache is:
/// `p<project>/v<version>/chips/<chip>/…` and `…/wildfire/<chip>.tif`.
///
/// A server that misses locally copies what another rendered before
/// rendering it itself, and uploads what it renders (a chip's image last, so
/// a folder with its image is whole). A project's older versions are removed
/// from the prefix once per version and server: a version never comes back,
/// so only the newest is ever asked for. The store failing costs time, never
/// a chip: a failed copy is a miss, a failed upload a warning.
final class SharedChipCache: Sendable {
    let prefix: ObjectPrefix
    private let prunedBelow = Mutex<[ProjectID: Int64]>([:])
    private let lastWarning = Mutex<Date>(.distantPast)
    private let fetches = Mutex(0)

    init(prefix: ObjectPrefix) {
        self.prefix = prefix
    }

    /// Chip folders and stacks copied from the store (tests count them).
    var fetchCount: Int { fetches.withLock { $0 } }

    /// The store's name for a file or folder of version `version` of project `projectId`.
    static func key(projectId: ProjectID, version: Int64, _ relative: String) -> String {
        "p\(projectId)/v\(version)/\(relative)"
    }

    /// Copies the chip folder `key` into `final` (whole, by one rename). False when
    /// the store has no whole copy, or could not be read (then with a warning).
    func fetchFolder(_ key: String, into final: URL) -> Bool {
        let folder = prefix.appending(key)
        let temporary = final.deletingLastPathComponent().appendingPathComponent(".\(final.lastPathComponent).\(UUID().uuidString).fetch")
        defer { try? FileManager.default.removeItem(at: temporary) }
        do {
            let listed = try folder.list()
            // The image goes up last: a folder without it is another server's upload under way.
            guard listed["image.tif"] != nil else { return false }
            try FileManager.default.createDirectory(at: temporary, withIntermediateDirectories: true)
            for name in listed.keys.sorted() where !name.contains("/") {
                try Data(folder.read(name)).write(to: temporary.appendingPathComponent(name))
            }
            try FileManager.default.moveItem(at: temporary, to: final)
        } catch {
            // Another request of this server may have placed the folder meanwhile: that is a hit too.
            if FileManager.default.fileExists(atPath: final.path) { return true }
            warn("could not copy \(folder) from the shared chip cache: \(error)")
            return false
        }
        fetches.withLock { $0 += 1 }
        return true
    }

    /// Copies the object `key` to the local file `file` (written aside, then renamed). False when it is not there.
    func fetchFile(_ key: String, into file: URL) -> Bool {
        VirtualFile.forgetCached(prefix.gdalPath(key))
        guard VirtualFile.exists(prefix.gdalPath(key)) else { return false }
        let temporary = file.deletingLastPathComponent().appendingPathComponent(".\(file.lastPathComponent).\(UUID().uuidString).fetch")
        defer { try? FileManager.default.removeItem(at: temporary) }
        do {
            try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(prefix.read(key)).write(to: temporary)
            if FileManager.default.fileExists(atPath: file.path) { return true }
            try FileManager.default.moveItem(at: temporary, to: file)
        } catch {
            warn("could not copy \(prefix.uri(key)) from the shared chip cache: \(error)")
            return false
        }
        fetches.withLock { $0 += 1 }
        return true
    }

    /// Uploads a chip folder just rendered, its image last.
    func uploadFolder(_ local: URL, as key: String) {
        do {
            try prefix.appending(key).uploadFolder(local, last: ["image.tif"])
        } catch {
            warn("could not share a rendered chip: \(error)")
        }
    }

    /// Uploads files just rendered, each under its key.
    func upload(_ files: [(local: URL, key: String)]) {
        for (local, key) in files {
            do { try prefix.upload(from: local.path, as: key) } catch {
                warn("could not share a rendered chip file: \(error)")
                return
            }
        }
    }

    /// Once per server and version: removes the project's versions older than `version`, in the background.
    func pruneVersions(projectId: ProjectID, before version: Int64) {
        let due = prunedBelow.withLock { pruned in
            guard (pruned[projectId] ?? 0) < version else { return false }
            pruned[projectId] = version
            return true
        }
        guard due else { return }
        let project = prefix.appending("p\(projectId)")
        DispatchQueue.global(qos: .utility).async { [self] in
            do {
                for name in try project.subfolders() {
                    guard name.hasPrefix("v"), let old = Int64(name.dropFirst()), old < version else { continue }
                    try project.appending(name).removeAll()
                }
            } catch {
                warn("could not remove old chips of project \(projectId) from the shared chip cache: \(error)")
            }
        }
    }

    /// One line on standard error, at most one a minute: a store that is down must not flood the log.
    private func warn(_ message: String) {
        let now = Date()
        let due = lastWarning.withLock { last in
            guard now.timeIntervalSince(last) >= 60 else { return false }
            last = now
            return true
        }
        if due { FileHandle.standardError.write(Data("swath: warning: \(message)\n".utf8)) }
    }
}
