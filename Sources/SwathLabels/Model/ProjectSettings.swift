/// How a project cuts scenes into tasks and runs its queue.
public struct ProjectSettings: Codable, Equatable, Sendable {
    public var tileSize: Int
    public var overlap: Int
    /// Seconds a claim lasts without a heartbeat.
    public var leaseSeconds: Int
    /// Annotators wanted per task (consensus).
    public var labelsPerTask: Int

    public init(tileSize: Int = 512, overlap: Int = 0, leaseSeconds: Int = 1800, labelsPerTask: Int = 1) {
        self.tileSize = tileSize
        self.overlap = overlap
        self.leaseSeconds = leaseSeconds
        self.labelsPerTask = labelsPerTask
    }

    public func validate() throws {
        guard (64...8192).contains(tileSize) else { throw LabelingError.invalid("tileSize must be 64…8192 pixels, got \(tileSize)") }
        guard overlap >= 0, overlap < tileSize else { throw LabelingError.invalid("overlap must be 0…\(tileSize - 1), got \(overlap)") }
        guard (60...86_400).contains(leaseSeconds) else { throw LabelingError.invalid("leaseSeconds must be 60…86400, got \(leaseSeconds)") }
        guard (1...10).contains(labelsPerTask) else { throw LabelingError.invalid("labelsPerTask must be 1…10, got \(labelsPerTask)") }
    }
}
