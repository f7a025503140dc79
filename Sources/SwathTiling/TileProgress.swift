/// A snapshot of a running job, passed to the progress callback after each tile.
public struct TileProgress: Sendable {
    public var completed: Int
    public var total: Int
    public var elapsedSeconds: Double
}
