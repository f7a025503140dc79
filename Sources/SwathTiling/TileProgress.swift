/// A snapshot of a running job, passed to the progress callback after each tile.
public struct TileProgress: Sendable {
    public var completed: Int
    public var total: Int
    public var elapsedSeconds: Double

    public init(completed: Int, total: Int, elapsedSeconds: Double) {
        self.completed = completed
        self.total = total
        self.elapsedSeconds = elapsedSeconds
    }
}
