import Foundation

/// An append-only record of finished tiles in the output folder, so that
/// `--resume` can skip them without reading them back. Its first line is the
/// job's signature: a resume with other options or another scene is refused
/// instead of mixing two grids in one folder.
final class TileJournal: @unchecked Sendable {
    static let fileName = ".swath-tile-journal.jsonl"

    struct Signature: Codable, Equatable {
        var scene: String
        var width: Int
        var height: Int
        var size: Int
        var overlap: Int
        var edge: String
        var format: String
        var bands: [Int]
        var skipEmpty: Bool
    }

    let url: URL
    private let handle: FileHandle
    private let lock = NSLock()

    /// Starts a fresh journal (replacing any old one) headed by `signature`.
    static func create(in dir: URL, signature: Signature) throws -> TileJournal {
        let url = dir.appendingPathComponent(fileName)
        var header = try JSONEncoder().encode(signature)
        header.append(0x0A)
        try header.write(to: url, options: .atomic)
        return try TileJournal(url: url)
    }

    /// Loads the tiles an earlier run finished, checking that it was the same job.
    static func load(in dir: URL, expecting signature: Signature) throws -> (TileJournal, [TileOutcome])? {
        let url = dir.appendingPathComponent(fileName)
        guard let text = try? String(contentsOf: url, encoding: .utf8) else { return nil }
        var lines = text.split(separator: "\n", omittingEmptySubsequences: true).makeIterator()
        let decoder = JSONDecoder()
        guard let first = lines.next(), let found = try? decoder.decode(Signature.self, from: Data(first.utf8)) else {
            throw TilingError.resumeMismatch(path: url.path, reason: "the journal is unreadable; run again without --resume")
        }
        guard found == signature else {
            throw TilingError.resumeMismatch(path: dir.path, reason: "it holds tiles made with other options or another scene "
                + "(\(describe(found))); run again without --resume, or with the same options")
        }
        // A line cut short by a crash is simply not trusted: its tile is redone.
        let outcomes = lines.compactMap { try? decoder.decode(TileOutcome.self, from: Data($0.utf8)) }
        return (try TileJournal(url: url), outcomes)
    }

    private static func describe(_ signature: Signature) -> String {
        "scene \(signature.scene), size \(signature.size), overlap \(signature.overlap), edge \(signature.edge), "
            + "format \(signature.format), bands \(signature.bands.map(String.init).joined(separator: ","))"
    }

    private init(url: URL) throws {
        self.url = url
        handle = try FileHandle(forWritingTo: url)
        try handle.seekToEnd()
    }

    deinit {
        try? handle.close()
    }

    /// Appends one finished tile. Called after the tile's file is in place,
    /// so every journal line points at a complete file.
    func record(_ outcome: TileOutcome) throws {
        var line = try JSONEncoder().encode(outcome)
        line.append(0x0A)
        lock.lock()
        defer { lock.unlock() }
        try handle.write(contentsOf: line)
    }
}
