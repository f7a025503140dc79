import Foundation

/// The job rules both stores apply: how many tries a job gets, how long it
/// waits after a failure, and what a job whose worker vanished on its last
/// try is failed with.
public enum JobRules {
    public static let defaultMaxAttempts = 3
    /// A request's options, stored with the job, are refused beyond this.
    public static let maximumParametersBytes = 16 << 10
    /// Exports (and, apart, wildfire jobs) a project may have waiting or running at once: a member
    /// cannot fill the queue (and the disk) by asking again and again. (Overview builds come one per
    /// scene registered.)
    public static let maximumPendingPerProject = 4
    /// What a request beyond that is told.
    static func queueFull(projectId: ProjectID, kind: JobKind = .export) -> LabelingError {
        let what = kind == .export ? "exports" : "\(kind.rawValue) jobs"
        return .tooMany("project \(projectId) already has \(maximumPendingPerProject) \(what) waiting or running; ask again when one is done",
              retryAfterSeconds: 30)
    }

    /// Names workers give themselves (host and process): kept short.
    public static let maximumWorkerNameLength = 200

    /// The wait before attempt `attempts + 1`: 10 s, doubling, at most 5 minutes.
    public static func backoff(afterAttempt attempts: Int) -> Double {
        min(300, 10 * pow(2, Double(max(attempts, 1) - 1)))
    }

    /// A failure's outcome: back to the queue after the wait while tries are left, failed otherwise.
    static func afterFailure(attempts: Int, maxAttempts: Int, at: Date) -> (status: JobStatus, runAfter: Date) {
        attempts < maxAttempts ? (.queued, at.addingTimeInterval(backoff(afterAttempt: attempts))) : (.failed, at)
    }

    /// Why a job whose lease ran out on its last try failed.
    static let lostWorker = "the worker stopped answering (its lease ran out) on the last attempt; nothing more is tried"
}
