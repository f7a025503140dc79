import Foundation
import SwathGeo

/// A local (or mounted) folder: tiles are staged beside their final names and
/// renamed into place, the journal is an append-only file, the index is renamed in last.
struct FolderSink: TileSink {
    let folder: URL

    var location: String { folder.path }
    var stagingFolder: URL { folder }

    func prepare(signature: TileJournal.Signature, shard: TileShard?, resume: Bool, ownTiles: [String]?,
                 restore: (TileOutcome) -> Void) throws -> TileRecorder {
        try createFolder()
        if let ownTiles, let shard {
            removeStaleTemporaries(of: ownTiles, shard: shard)
        } else {
            removeStaleTemporaries()
        }
        do {
            if resume || shard != nil,
               let journal = try TileJournal.load(in: folder, expecting: signature, shard: shard, tile: restore) {
                return journal
            }
            return try TileJournal.create(in: folder, signature: signature, shard: shard)
        } catch let error as TilingError {
            throw error
        } catch {
            throw TilingError.outputFolder(path: folder.path, reason: Tiler.reason(error))
        }
    }

    /// PNG and JPEG keep georeferencing in a `.aux.xml` sidecar: it moves
    /// first, so the tile itself appearing is the last step.
    func publish(staged: String, as name: String, then published: @escaping @Sendable () throws -> Void) throws {
        let final = folder.appendingPathComponent(name).path
        if FileManager.default.fileExists(atPath: staged + ".aux.xml") {
            try rename(staged + ".aux.xml", to: final + ".aux.xml")
        }
        try rename(staged, to: final)
        try published()
    }

    /// A rename is done when it returns.
    func drain() throws {}

    func contains(_ name: String) -> Bool {
        FileManager.default.fileExists(atPath: folder.appendingPathComponent(name).path)
    }

    func readJournal(of shard: TileShard, signature: TileJournal.Signature,
                     tile: (TileOutcome) throws -> Void) throws -> Bool {
        try TileJournal.readShard(shard, in: folder, expecting: signature, tile: tile)
    }

    func refresh() throws {}

    func publishIndex(tag: String?, write: (URL) throws -> Void) throws {
        try write(folder.appendingPathComponent(TileIndex.fileName))
    }

    func close() {}

    private func rename(_ source: String, to destination: String) throws {
        guard Foundation.rename(source, destination) == 0 else {
            throw GeoError.writeFailed(path: destination, reason: String(cString: strerror(errno)))
        }
    }

    private func createFolder() throws {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: folder.path, isDirectory: &isDirectory) {
            guard isDirectory.boolValue else {
                throw TilingError.outputFolder(path: folder.path, reason: "it is a file, not a folder")
            }
        } else {
            do {
                try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            } catch {
                throw TilingError.outputFolder(path: folder.path, reason: Tiler.reason(error))
            }
        }
        guard access(folder.path, W_OK) == 0 else {
            throw TilingError.outputFolder(path: folder.path, reason: String(cString: strerror(errno)))
        }
    }

    /// A run killed outright (SIGKILL, power loss) can leave hidden `.part`
    /// files; they are never under a final name, and are cleared here.
    private func removeStaleTemporaries() {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        for name in names where name.hasPrefix(".") && (name.hasSuffix(TileFileWriter.temporarySuffix)
            || name.hasSuffix(TileFileWriter.temporarySuffix + ".aux.xml")) {
            try? FileManager.default.removeItem(at: folder.appendingPathComponent(name))
        }
    }

    /// A shard clears only its own leftovers: the other shards may be writing theirs right now.
    private func removeStaleTemporaries(of names: [String], shard: TileShard) {
        for name in names {
            let temporary = TileFileWriter.temporaryPath(in: folder, name: name)
            unlink(temporary)
            unlink(temporary + ".aux.xml")
        }
        unlink(TileIndex.temporaryURL(for: folder.appendingPathComponent(TileIndex.fileName), tag: shard.label).path)
    }
}
