import Foundation
import SwathGeo

/// An S3 prefix (`--out s3://bucket/prefix/`): each tile is staged in memory
/// (`/vsimem/`), uploaded whole under its final key, and dropped; the journal
/// is a series of whole part objects (`ObjectJournal`); the index is uploaded
/// last. What is already there is learnt by listing the prefix, so a rerun on
/// another machine picks up where a dead one stopped.
final class ObjectSink: TileSink, Sendable {
    let prefix: ObjectPrefix
    let stagingFolder: URL
    private let listing: ObjectListing
    private let uploads: UploadQueue

    /// `workers`: the tiler's threads. Twice as many uploads run at once (at
    /// least four), enough to hide an object store's round trips behind the cutting;
    /// staged tiles in memory are bounded by the uploads plus one per worker.
    init(prefix: ObjectPrefix, workers: Int) {
        self.prefix = prefix
        listing = ObjectListing(prefix: prefix)
        stagingFolder = URL(fileURLWithPath: "/vsimem/swath-tiles-\(UUID().uuidString)")
        let uploaders = max(4, 2 * workers)
        uploads = UploadQueue(uploaders: uploaders, capacity: uploaders + workers)
    }

    var location: String { prefix.description }

    func prepare(signature: TileJournal.Signature, shard: TileShard?, resume: Bool, ownTiles: [String]?,
                 restore: (TileOutcome) -> Void) throws -> TileRecorder {
        try refresh()
        let folder = ObjectJournal.folderName(for: shard)
        let parts = journalParts(in: folder)
        if resume || shard != nil {
            try read(parts, signature: signature, sharded: shard != nil, tile: restore)
        } else {
            // A fresh whole run: an earlier run's journal must not vouch for tiles this one will replace.
            for part in parts { try prefix.remove(part) }
        }
        return try ObjectJournal(folder: prefix.appending(folder), signature: signature)
    }

    /// Queued for an upload thread. The `.aux.xml` sidecar of a PNG or JPEG tile
    /// goes up first, so the tile appearing is the last step.
    func publish(staged: String, as name: String, then published: @escaping @Sendable () throws -> Void) throws {
        let prefix = prefix
        let discard: @Sendable () -> Void = {
            VirtualFile.remove(staged)
            VirtualFile.remove(staged + ".aux.xml")
        }
        try uploads.submit({
            defer { discard() }
            if VirtualFile.exists(staged + ".aux.xml") {
                try prefix.upload(from: staged + ".aux.xml", as: name + ".aux.xml")
            }
            try prefix.upload(from: staged, as: name)
            try published()
        }, discard: discard)
    }

    func drain() throws {
        try uploads.drain()
    }

    func contains(_ name: String) -> Bool {
        listing.contains(name)
    }

    func readJournal(of shard: TileShard, signature: TileJournal.Signature,
                     tile: (TileOutcome) throws -> Void) throws -> Bool {
        let parts = journalParts(in: ObjectJournal.folderName(for: shard))
        guard !parts.isEmpty else { return false }
        try read(parts, signature: signature, sharded: true, tile: tile)
        return true
    }

    func refresh() throws {
        do {
            try listing.refresh()
        } catch let error as GeoError {
            throw TilingError.outputFolder(path: location, reason: error.reason)
        }
    }

    func publishIndex(tag: String?, write: (URL) throws -> Void) throws {
        let local = FileManager.default.temporaryDirectory.appendingPathComponent("swath-index-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: local, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: local) }
        let file = local.appendingPathComponent(TileIndex.fileName)
        try write(file)
        try prefix.upload(from: file.path, as: TileIndex.fileName)
    }

    func close() {
        uploads.close()
        VirtualFile.removeFolder(stagingFolder.path)
    }

    private func journalParts(in folder: String) -> [String] {
        listing.names { $0.hasPrefix(folder) && ObjectJournal.isPart($0) }
    }

    private func read(_ parts: [String], signature: TileJournal.Signature, sharded: Bool,
                      tile: (TileOutcome) throws -> Void) throws {
        for part in parts {
            let bytes = try prefix.read(part)
            try TileJournal.read(bytes, name: prefix.uri(part), expecting: signature, sharded: sharded, tile: tile)
        }
    }
}
