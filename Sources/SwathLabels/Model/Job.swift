import Foundation

public typealias JobID = Int64

/// Heavy work done away from requests (an export over HTTP): a row that
/// workers claim under a lease, renew with heartbeats, and finish or fail.
/// A worker that stops answering loses its lease and another takes the job;
/// a failure is retried after a growing wait until `maxAttempts`.
public struct Job: Equatable, Sendable {
    public var id: JobID
    public var projectId: ProjectID
    public var kind: JobKind
    /// The request's options as JSON, checked when the job was made.
    public var parameters: String
    public var status: JobStatus
    public var attempts: Int
    public var maxAttempts: Int
    /// A queued job is not claimed before this (the backoff after a failure).
    public var runAfter: Date
    /// The worker holding the lease while running.
    public var worker: String?
    public var leaseExpiresAt: Date?
    public var progressDone: Int
    public var progressTotal: Int
    /// Where the output is (a path or an s3:// URI), once succeeded.
    public var result: String?
    /// Why the last attempt failed.
    public var error: String?
    public var createdBy: UserID?
    public var createdAt: Date
    public var updatedAt: Date

    public init(id: JobID, projectId: ProjectID, kind: JobKind, parameters: String, status: JobStatus, attempts: Int,
                maxAttempts: Int, runAfter: Date, worker: String?, leaseExpiresAt: Date?, progressDone: Int, progressTotal: Int,
                result: String?, error: String?, createdBy: UserID?, createdAt: Date, updatedAt: Date) {
        self.id = id
        self.projectId = projectId
        self.kind = kind
        self.parameters = parameters
        self.status = status
        self.attempts = attempts
        self.maxAttempts = maxAttempts
        self.runAfter = runAfter
        self.worker = worker
        self.leaseExpiresAt = leaseExpiresAt
        self.progressDone = progressDone
        self.progressTotal = progressTotal
        self.result = result
        self.error = error
        self.createdBy = createdBy
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }
}
