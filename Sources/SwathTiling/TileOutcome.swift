/// What happened to one tile; the index is built from these.
public struct TileOutcome: Codable, Equatable, Sendable {
    public enum State: String, Codable, Sendable {
        /// Written by this run.
        case written
        /// All nodata and `--skip-empty` was given: no file.
        case skippedEmpty
        /// Already complete from an earlier run (`--resume`).
        case resumed
    }

    public var index: Int
    public var state: State
    /// Share of the tile's pixels with no data: every band at its nodata
    /// value, or padding past the scene's edge.
    public var nodataFraction: Double

    public var empty: Bool { nodataFraction >= 1 }
    public var hasFile: Bool { state != .skippedEmpty }
}
