import Foundation
import SwathGeo

/// A tiling journal on S3, where nothing can be appended to: finished tiles
/// are gathered and uploaded as numbered parts under the journal's prefix,
/// each headed by the job's signature and whole like any object. A part goes
/// up every `linesPerPart` tiles or `secondsPerPart` seconds, and at the end;
/// a run killed in between loses only the unsent lines, whose tiles are cut
/// again (to the same bytes) by the rerun.
final class ObjectJournal: TileRecorder, @unchecked Sendable {
    static let linesPerPart = 500
    static let secondsPerPart = 5.0

    private let folder: ObjectPrefix
    private let header: [UInt8]
    /// Parts of different runs never share a name: a rerun adds parts beside the dead run's.
    private let run = String(UInt64(Date().timeIntervalSince1970 * 1000), radix: 36) + "-"
        + String(UInt32.random(in: .min ... .max), radix: 36)
    private let lock = NSLock()
    private var pending: [UInt8] = []
    private var pendingLines = 0
    private var sequence = 0
    private var lastPart = Date()

    init(folder: ObjectPrefix, signature: TileJournal.Signature) throws {
        self.folder = folder
        header = try TileJournal.header(signature)
    }

    /// The prefix of a whole run's journal, or of one shard's.
    static func folderName(for shard: TileShard?) -> String {
        TileJournal.fileName(for: shard).replacingOccurrences(of: ".jsonl", with: "") + "/"
    }

    static func isPart(_ name: String) -> Bool { name.hasSuffix(".jsonl") }

    func record(_ outcome: TileOutcome) throws {
        let line = try TileJournal.line(outcome)
        lock.lock()
        pending.append(contentsOf: line)
        pendingLines += 1
        let due = pendingLines >= Self.linesPerPart || Date().timeIntervalSince(lastPart) >= Self.secondsPerPart
        let part = due ? takePart() : nil
        lock.unlock()
        if let part { try upload(part) }
    }

    func finish() throws {
        lock.lock()
        let part = pendingLines > 0 ? takePart() : nil
        lock.unlock()
        if let part { try upload(part) }
    }

    private func takePart() -> (name: String, bytes: [UInt8]) {
        sequence += 1
        let name = "\(run)-\(String(format: "%06d", sequence)).jsonl"
        let bytes = header + pending
        pending.removeAll(keepingCapacity: true)
        pendingLines = 0
        lastPart = Date()
        return (name, bytes)
    }

    private func upload(_ part: (name: String, bytes: [UInt8])) throws {
        try folder.upload(part.bytes, as: part.name)
    }
}
