/// Where a job is: waiting (also between attempts), held by a worker, or done either way.
public enum JobStatus: String, Codable, Sendable, CaseIterable {
    case queued
    case running
    case succeeded
    case failed
}
