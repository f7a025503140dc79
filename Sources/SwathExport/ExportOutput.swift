import Foundation
import SwathGeo
import SwathTiling

/// Where an export ends up: a local folder, written in place (chip folders
/// renamed in whole), or an S3 prefix, written to a local staging folder and
/// uploaded from there: each chip's files with `image.tif` last (a chip is
/// complete once its image is there), and `manifest.jsonl` after everything
/// else. What is already on S3 is learnt by listing the prefix.
final class ExportOutput: Sendable {
    /// Where the exporter writes: the output folder itself, or the staging folder.
    let folder: URL
    let objects: ObjectPrefix?
    private let listing: ObjectListing?

    init(folder: URL) {
        self.folder = folder
        objects = nil
        listing = nil
    }

    init(objects: ObjectPrefix) {
        self.objects = objects
        listing = ObjectListing(prefix: objects)
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("swath-export-\(UUID().uuidString)")
    }

    /// The folder's path or the prefix's URI.
    var location: String { objects?.description ?? folder.path }

    func prepare() throws {
        do {
            try FileManager.default.createDirectory(at: folder.appendingPathComponent("chips"), withIntermediateDirectories: true)
        } catch {
            throw ExportError.output(path: folder.path, reason: "cannot create the export folder: \(Self.obstacle(above: folder) ?? Tiler.reason(error))")
        }
        try refresh()
    }

    /// The file in the way of a folder to be made, when that is why it could not be.
    private static func obstacle(above folder: URL) -> String? {
        var ancestor = folder
        while ancestor.path != "/" {
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: ancestor.path, isDirectory: &isDirectory) {
                return isDirectory.boolValue ? nil : "\(ancestor.path) is a file, not a folder"
            }
            ancestor.deleteLastPathComponent()
        }
        return nil
    }

    /// Sees what other shards have published.
    func refresh() throws {
        guard let listing else { return }
        do {
            try listing.refresh()
        } catch let error as GeoError {
            throw ExportError.output(path: listing.prefix.description, reason: error.reason)
        }
    }

    /// Whether chip `id` is complete: its image (and wildfire stack, when asked for) there.
    func isComplete(_ id: String, wildfire: Bool) -> Bool {
        let names = ["image.tif"] + (wildfire ? ["wildfire.tif"] : [])
        guard let listing else {
            return names.allSatisfy { FileManager.default.fileExists(atPath: chipFolder(id).appendingPathComponent($0).path) }
        }
        return names.allSatisfy { listing.contains("chips/\(id)/\($0)") }
    }

    func chipFolder(_ id: String) -> URL { folder.appendingPathComponent("chips").appendingPathComponent(id) }

    /// Uploads the staged folders of `ids` on `threads` threads, `image.tif` last in each, and drops them locally.
    func publishChips(_ ids: [String], threads: Int) throws {
        guard let objects, !ids.isEmpty else { return }
        try WorkerThreads.run(count: ids.count, threads: max(4, 2 * threads), makeState: {}, job: { [self] _, index, _ in
            let id = ids[index]
            let local = chipFolder(id)
            let names = try FileManager.default.contentsOfDirectory(atPath: local.path).sorted()
            for name in names.filter({ $0 != "image.tif" }) + ["image.tif"] where names.contains(name) {
                try objects.upload(from: local.appendingPathComponent(name).path, as: "chips/\(id)/\(name)")
            }
            try FileManager.default.removeItem(at: local)
        })
    }

    /// Uploads the staged top-level files `names`, in that order.
    func publishFiles(_ names: [String]) throws {
        guard let objects else { return }
        for name in names where FileManager.default.fileExists(atPath: folder.appendingPathComponent(name).path) {
            try objects.upload(from: folder.appendingPathComponent(name).path, as: name)
        }
    }

    /// Removes the staging folder (an S3 export's only local files).
    func close() {
        guard objects != nil else { return }
        try? FileManager.default.removeItem(at: folder)
    }
}
