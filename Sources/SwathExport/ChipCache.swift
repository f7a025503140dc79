import Foundation
import Synchronization

/// The pull API's rendered chips on disk, one folder per project version
/// (`p1/v42`), kept within a byte budget: when a render takes the total past
/// it, whole versions go, least recently used first. A version being
/// rendered or served is leased and never removed; a removed version is
/// renamed aside under the lock first, so no request can start using a
/// folder that is half deleted.
final class ChipCache: Sendable {
    let directory: URL
    let budgetBytes: Int

    private struct Entry {
        var bytes = 0
        var lastUse = Date.distantPast
        var leases = 0
    }

    private let entries: Mutex<[String: Entry]>

    /// Reads what earlier runs left (sizes, and modification times as last use)
    /// and drops their unfinished renders.
    init(directory: URL, budgetBytes: Int) {
        self.directory = directory
        self.budgetBytes = max(budgetBytes, 0)
        entries = Mutex(Self.scan(directory))
    }

    /// Where version `version` of project `projectId` keeps its chips.
    func folder(projectId: Int64, version: Int64) -> URL {
        directory.appendingPathComponent(Self.name(projectId: projectId, version: version))
    }

    /// Runs `body` with the version's folder leased: pruning leaves it alone.
    func using<Value: Sendable>(projectId: Int64, version: Int64, _ body: () async throws -> Value) async throws -> Value {
        let name = Self.name(projectId: projectId, version: version)
        entries.withLock { entries in
            entries[name, default: Entry()].leases += 1
            entries[name, default: Entry()].lastUse = Date()
        }
        defer { entries.withLock { $0[name]?.leases -= 1 } }
        return try await body()
    }

    /// Counts what a render wrote into the version's folder, then prunes.
    func added(bytes: Int, projectId: Int64, version: Int64) {
        let name = Self.name(projectId: projectId, version: version)
        entries.withLock { $0[name, default: Entry()].bytes += bytes }
        prune()
    }

    /// Removes unleased versions, least recently used first, until the rest fit the budget.
    func prune() {
        let doomed: [URL] = entries.withLock { entries in
            var total = entries.values.reduce(0) { $0 + $1.bytes }
            var moved: [URL] = []
            let candidates = entries.filter { $0.value.leases == 0 }.sorted { $0.value.lastUse < $1.value.lastUse }
            for (name, entry) in candidates where total > budgetBytes {
                let aside = directory.appendingPathComponent(".trash-\(UUID().uuidString)")
                guard (try? FileManager.default.moveItem(at: directory.appendingPathComponent(name), to: aside)) != nil else {
                    // Gone already (removed by hand): nothing on disk to count.
                    if !FileManager.default.fileExists(atPath: directory.appendingPathComponent(name).path) {
                        entries[name] = nil
                        total -= entry.bytes
                    }
                    continue
                }
                entries[name] = nil
                total -= entry.bytes
                moved.append(aside)
            }
            return moved
        }
        // The slow part, outside the lock: nothing refers to these names any more.
        for folder in doomed { try? FileManager.default.removeItem(at: folder) }
    }

    /// Bytes on disk now (tests, and the log).
    var totalBytes: Int { entries.withLock { $0.values.reduce(0) { $0 + $1.bytes } } }

    /// The bytes of the regular files under `url` (a file or a folder).
    static func size(of url: URL) -> Int {
        let keys: [URLResourceKey] = [.fileSizeKey, .isRegularFileKey]
        if let values = try? url.resourceValues(forKeys: Set(keys)), values.isRegularFile == true { return values.fileSize ?? 0 }
        guard let walker = FileManager.default.enumerator(at: url, includingPropertiesForKeys: keys) else { return 0 }
        var total = 0
        for case let file as URL in walker {
            guard let values = try? file.resourceValues(forKeys: Set(keys)), values.isRegularFile == true else { continue }
            total += values.fileSize ?? 0
        }
        return total
    }

    private static func name(projectId: Int64, version: Int64) -> String { "p\(projectId)/v\(version)" }

    /// Every `p*/v*` folder with its size and modification time. Hidden
    /// entries are what a stopped process left: unfinished renders and trash.
    private static func scan(_ directory: URL) -> [String: Entry] {
        let manager = FileManager.default
        var found: [String: Entry] = [:]
        for project in (try? manager.contentsOfDirectory(atPath: directory.path)) ?? [] {
            let projectURL = directory.appendingPathComponent(project)
            if project.hasPrefix(".") { try? manager.removeItem(at: projectURL); continue }
            guard project.hasPrefix("p") else { continue }
            for version in (try? manager.contentsOfDirectory(atPath: projectURL.path)) ?? [] where version.hasPrefix("v") {
                let folder = projectURL.appendingPathComponent(version)
                removeUnfinished(in: folder)
                let modified = (try? folder.resourceValues(forKeys: [.contentModificationDateKey]))?.contentModificationDate
                found["\(project)/\(version)"] = Entry(bytes: size(of: folder), lastUse: modified ?? .distantPast)
            }
        }
        return found
    }

    private static func removeUnfinished(in folder: URL) {
        for part in ["chips", "wildfire"] {
            let parent = folder.appendingPathComponent(part)
            for name in (try? FileManager.default.contentsOfDirectory(atPath: parent.path)) ?? [] where name.hasPrefix(".") {
                try? FileManager.default.removeItem(at: parent.appendingPathComponent(name))
            }
        }
    }
}
