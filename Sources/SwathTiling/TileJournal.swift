import Foundation

/// An append-only record of finished tiles in the output folder, so that
/// `--resume` can skip them without reading them back. Its first line is the
/// job's signature: a resume with other options or another scene is refused
/// instead of mixing two grids in one folder. Each further line is one tile,
/// `{"index":N,"state":"written","nodataFraction":F}`.
///
/// Loading streams the file in blocks and hands each tile to the caller as
/// it is read, so a journal of a million lines never sits in memory.
final class TileJournal: TileRecorder, @unchecked Sendable {
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

    /// The journal of a whole run, or of one shard of a sharded job (each shard
    /// appends to its own: shards run at once, on any machines sharing the folder).
    static func fileName(for shard: TileShard?) -> String {
        shard.map { ".swath-tile-journal.\($0.label).jsonl" } ?? fileName
    }

    /// Starts a fresh journal (replacing any old one) headed by `signature`.
    static func create(in dir: URL, signature: Signature, shard: TileShard? = nil) throws -> TileJournal {
        let url = dir.appendingPathComponent(fileName(for: shard))
        try Data(header(signature)).write(to: url, options: .atomic)
        return try TileJournal(url: url, endsMidLine: false)
    }

    /// Reads the tiles an earlier run finished, checking first that it was the
    /// same job, and passes each to `tile` in the order they were recorded
    /// (a tile recorded twice comes twice; the later line is the newer).
    /// Returns nil when there is no journal.
    static func load(in dir: URL, expecting signature: Signature, shard: TileShard? = nil,
                     tile: (TileOutcome) throws -> Void) throws -> TileJournal? {
        let url = dir.appendingPathComponent(fileName(for: shard))
        guard let endsMidLine = try read(url, expecting: signature, sharded: shard != nil, tile: tile) else { return nil }
        return try TileJournal(url: url, endsMidLine: endsMidLine)
    }

    /// Reads another shard's journal without writing to it (it may still be growing);
    /// false when that shard has not started.
    static func readShard(_ shard: TileShard, in dir: URL, expecting signature: Signature,
                          tile: (TileOutcome) throws -> Void) throws -> Bool {
        try read(dir.appendingPathComponent(fileName(for: shard)), expecting: signature, sharded: true, tile: tile) != nil
    }

    /// Passes each tile of the journal at `url` to `tile`; nil when there is none,
    /// else whether the file ends in a line cut short.
    private static func read(_ url: URL, expecting signature: Signature, sharded: Bool,
                             tile: (TileOutcome) throws -> Void) throws -> Bool? {
        guard let reader = try? FileHandle(forReadingFrom: url) else { return nil }
        defer { try? reader.close() }
        var lines = LineReader(reader)
        try read(&lines, name: url.path, expecting: signature, sharded: sharded, tile: tile)
        return lines.endedMidLine
    }

    /// Passes each tile of a journal already in memory (one part of a journal on S3) to `tile`.
    static func read(_ bytes: [UInt8], name: String, expecting signature: Signature, sharded: Bool,
                     tile: (TileOutcome) throws -> Void) throws {
        var lines = LineReader(bytes: bytes)
        try read(&lines, name: name, expecting: signature, sharded: sharded, tile: tile)
    }

    private static func read(_ lines: inout LineReader, name: String, expecting signature: Signature, sharded: Bool,
                             tile: (TileOutcome) throws -> Void) throws {
        let restart = sharded ? "remove the .swath-tile-journal.shard-* journals beside the tiles to start the job afresh"
                              : "run again without --resume"
        guard let first = try lines.next(),
              let found = try? JSONDecoder().decode(Signature.self, from: Data(first)) else {
            throw TilingError.resumeMismatch(path: name, reason: "the journal is unreadable; \(restart)")
        }
        guard found == signature else {
            let same = sharded ? "every shard of a job must tile the same scene with the same options" : "or with the same options"
            throw TilingError.resumeMismatch(path: name, reason: "it holds tiles made with other options or another scene "
                + "(\(describe(found))); \(restart), \(same)")
        }
        // A line cut short by a crash is simply not trusted: its tile is redone.
        while let line = try lines.next() {
            if let outcome = parseLine(line) { try tile(outcome) }
        }
    }

    /// The journal's first line.
    static func header(_ signature: Signature) throws -> [UInt8] {
        var header = [UInt8](try JSONEncoder().encode(signature))
        header.append(0x0A)
        return header
    }

    private static func describe(_ signature: Signature) -> String {
        "scene \(signature.scene), size \(signature.size), overlap \(signature.overlap), edge \(signature.edge), "
            + "format \(signature.format), bands \(signature.bands.map(String.init).joined(separator: ","))"
    }

    /// `endsMidLine`: the file ends in a line cut short; new lines start on a line of their own.
    private init(url: URL, endsMidLine: Bool) throws {
        self.url = url
        handle = try FileHandle(forWritingTo: url)
        try handle.seekToEnd()
        if endsMidLine { try handle.write(contentsOf: [0x0A]) }
    }

    deinit {
        try? handle.close()
    }

    /// Appends one finished tile. Called after the tile's file is in place,
    /// so every journal line points at a complete file.
    func record(_ outcome: TileOutcome) throws {
        let line = try Self.line(outcome)
        lock.lock()
        defer { lock.unlock() }
        try handle.write(contentsOf: line)
    }

    /// Each line is written as it comes: nothing is left to flush.
    func finish() throws {}

    static func line(_ outcome: TileOutcome) throws -> [UInt8] {
        var out = JSONBytes(capacity: 64)
        out.raw("{\"index\":"); out.number(outcome.index)
        out.raw(",\"state\":"); try out.string(outcome.state.rawValue)
        out.raw(",\"nodataFraction\":"); try out.number(outcome.nodataFraction)
        out.raw("}\n")
        return out.bytes
    }

    // MARK: - Reading lines

    /// One tile's line. The lines this journal writes (and those of earlier
    /// versions, whose keys came in any order) are read by a small scanner;
    /// anything else it does not follow goes to JSONDecoder, and a line
    /// neither can read is dropped.
    static func parseLine(_ line: ArraySlice<UInt8>) -> TileOutcome? {
        if let outcome = scanLine(line) { return outcome }
        guard let outcome = try? JSONDecoder().decode(TileOutcome.self, from: Data(line)),
              outcome.nodataFraction.isFinite else { return nil }
        return outcome
    }

    /// `{"key":value,…}` with no spaces, unescaped strings and the three keys.
    private static func scanLine(_ line: ArraySlice<UInt8>) -> TileOutcome? {
        let quote = UInt8(ascii: "\""), comma = UInt8(ascii: ","), close = UInt8(ascii: "}")
        var position = line.startIndex
        guard position < line.endIndex, line[position] == UInt8(ascii: "{") else { return nil }
        position += 1
        var index: Int?, state: TileOutcome.State?, fraction: Double?
        while true {
            guard position < line.endIndex, line[position] == quote,
                  let keyEnd = line[(position + 1)...].firstIndex(of: quote) else { return nil }
            let key = line[(position + 1)..<keyEnd]
            position = keyEnd + 1
            guard position < line.endIndex, line[position] == UInt8(ascii: ":") else { return nil }
            position += 1
            guard position < line.endIndex else { return nil }
            let value: ArraySlice<UInt8>
            let quoted = line[position] == quote
            if quoted {
                guard let valueEnd = line[(position + 1)...].firstIndex(of: quote) else { return nil }
                value = line[(position + 1)..<valueEnd]
                position = valueEnd + 1
            } else {
                let valueEnd = line[position...].firstIndex { $0 == comma || $0 == close } ?? line.endIndex
                value = line[position..<valueEnd]
                position = valueEnd
            }
            if key.contains(UInt8(ascii: "\\")) || value.contains(UInt8(ascii: "\\")) { return nil }
            switch (String(decoding: key, as: UTF8.self), quoted) {
            case ("index", false): index = Int(String(decoding: value, as: UTF8.self))
            case ("state", true): state = TileOutcome.State(rawValue: String(decoding: value, as: UTF8.self))
            case ("nodataFraction", false): fraction = Double(String(decoding: value, as: UTF8.self))
            default: return nil
            }
            guard position < line.endIndex else { return nil }
            if line[position] == comma { position += 1; continue }
            guard line[position] == close, position + 1 == line.endIndex else { return nil }
            break
        }
        guard let index, let state, let fraction, fraction.isFinite else { return nil }
        return TileOutcome(index: index, state: state, nodataFraction: fraction)
    }

    /// Lines of a file read a block at a time; the last line counts even
    /// without its newline (the caller decides whether it is whole).
    private struct LineReader {
        let handle: FileHandle?
        private var buffer: [UInt8] = []
        private var start = 0
        private var atEnd = false
        /// Whether the file's last byte was not a newline.
        private(set) var endedMidLine = false

        init(_ handle: FileHandle) {
            self.handle = handle
        }

        init(bytes: [UInt8]) {
            handle = nil
            buffer = bytes
            atEnd = true
        }

        mutating func next() throws -> ArraySlice<UInt8>? {
            while true {
                if let newline = buffer[start...].firstIndex(of: 0x0A) {
                    let line = buffer[start..<newline]
                    start = newline + 1
                    if line.isEmpty { continue }
                    return line
                }
                if atEnd {
                    guard start < buffer.count else { return nil }
                    let line = buffer[start...]
                    start = buffer.count
                    endedMidLine = true
                    return line
                }
                buffer.removeFirst(start)
                start = 0
                if let block = try handle?.read(upToCount: 1 << 20), !block.isEmpty {
                    buffer.append(contentsOf: block)
                } else {
                    atEnd = true
                }
            }
        }
    }
}
