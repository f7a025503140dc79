import Foundation

/// One of `count` parts of a tiling job, for batch engines that run a job as
/// an array of workers (Kubernetes Indexed Jobs, AWS Batch array jobs).
/// Shard `index` (from 0, as both engines count) takes every `count`-th row of
/// tiles: whole rows keep neighbouring tiles, which share source blocks,
/// together, and dealing rows out spreads a scene's costly parts (texture
/// compresses slowly, nodata quickly) over every shard. Contiguous halves
/// measured 5.2 s against 7.2 s on the standard scene, and the job waits for
/// the slower. A grid with fewer rows than shards deals out single tiles.
/// The parts are fixed by the grid alone: any machine running shard 2 of 3
/// does the same tiles.
public struct TileShard: Sendable, Equatable, CustomStringConvertible {
    public let index: Int
    public let count: Int

    /// More shards than this is a mistake (a grid of a million tiles in ten thousand parts is 100 tiles each).
    public static let maximumCount = 10_000

    public init(index: Int, count: Int) throws {
        guard (1...Self.maximumCount).contains(count) else {
            throw TilingError.invalidOption("--shard", "\(count) shards: give 1 to \(Self.maximumCount)")
        }
        guard (0..<count).contains(index) else {
            throw TilingError.invalidOption("--shard", "shard \(index) of \(count): shards count from 0 to \(count - 1)")
        }
        self.index = index
        self.count = count
    }

    /// `I/N`, as `--shard 0/3`.
    public init(parsing text: String) throws {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let index = Int(parts[0]), let count = Int(parts[1]) else {
            throw TilingError.invalidOption("--shard", "'\(text)' is not I/N (e.g. 0/3: the first of three shards)")
        }
        try self.init(index: index, count: count)
    }

    /// The variables batch engines set to a worker's index in its array.
    public static let indexVariables = ["JOB_COMPLETION_INDEX", "AWS_BATCH_JOB_ARRAY_INDEX"]

    /// Shard `index` of `count`, the index from the batch engine's variable (`--shards N`).
    public init(count: Int, environment: [String: String]) throws {
        let found = Self.indexVariables.compactMap { name in environment[name].map { (name, $0) } }
        guard let (name, value) = found.first else {
            throw TilingError.invalidOption("--shards", "the shard's index comes from \(Self.indexVariables.joined(separator: " or ")), "
                                            + "and neither is set (use --shard I/N to give it)")
        }
        if let (otherName, otherValue) = found.dropFirst().first, otherValue != value {
            throw TilingError.invalidOption("--shards", "\(name) is \(value) but \(otherName) is \(otherValue); which shard is this?")
        }
        guard let index = Int(value) else {
            throw TilingError.invalidOption("--shards", "\(name) is '\(value)', not a shard index")
        }
        try self.init(index: index, count: count)
    }

    /// The shard a command line asks for: `--shard I/N`, or `--shards N` with
    /// the index from the batch engine's variable, or none (the whole job).
    public static func requested(shard text: String?, shards count: Int?, environment: [String: String]) throws -> TileShard? {
        switch (text, count) {
        case (nil, nil): return nil
        case (let text?, nil): return try TileShard(parsing: text)
        case (nil, let count?): return try TileShard(count: count, environment: environment)
        case (.some, .some): throw TilingError.invalidOption("--shard", "give --shard I/N or --shards N, not both")
        }
    }

    /// Whether tile `tile` (row-major) of a grid of `rows` × `cols` is this shard's.
    public func owns(_ tile: Int, rows: Int, cols: Int) -> Bool {
        let unit = rows >= count ? tile / max(cols, 1) : tile
        return unit % count == index
    }

    /// This shard's tiles of a `rows` × `cols` grid, in grid order.
    public func tiles(rows: Int, cols: Int) -> LazyFilterSequence<Range<Int>> {
        (0..<(rows * cols)).lazy.filter { owns($0, rows: rows, cols: cols) }
    }

    /// Whether item `item` of a list is this shard's (items dealt in turn: chips of an export).
    public func owns(item: Int) -> Bool { item % count == index }

    /// Names this shard's own files in the output folder.
    public var label: String { "shard-\(index)-of-\(count)" }

    public var description: String { "\(index)/\(count)" }
}
