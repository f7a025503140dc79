import Foundation

/// A job as its requester sees it. Where the output is, and a failure's own
/// words (which may name paths and buckets), are for managers; others learn
/// that it succeeded or failed.
public struct JobView: Encodable, Sendable {
    public var id: JobID
    public var projectId: ProjectID
    public var kind: JobKind
    public var status: JobStatus
    public var attempts: Int
    public var maxAttempts: Int
    public var progress: Progress
    /// The output's path or s3:// URI (managers only).
    public var location: String?
    public var error: String?
    public var createdAt: Date
    public var updatedAt: Date

    public struct Progress: Encodable, Sendable {
        public var done: Int
        public var total: Int
    }

    static let hiddenFailure = "the job failed; a manager of the project can see why"

    init(_ job: Job, access: ProjectAccess) {
        id = job.id
        projectId = job.projectId
        kind = job.kind
        status = job.status
        attempts = job.attempts
        maxAttempts = job.maxAttempts
        progress = Progress(done: job.progressDone, total: job.progressTotal)
        let manager = access.has(.manager)
        location = manager ? job.result : nil
        error = job.error.map { manager ? $0 : Self.hiddenFailure }
        createdAt = job.createdAt
        updatedAt = job.updatedAt
    }
}
