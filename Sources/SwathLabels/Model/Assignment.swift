import Foundation

/// One annotator's turn on a task that several annotators label
/// independently: a consensus task (k > 1) or a gold task. A k = 1 task
/// keeps its single lease on the task itself.
public struct Assignment: Equatable, Sendable {
    public enum Status: String, Sendable {
        case inProgress = "in_progress"
        case submitted
        /// Given back by the annotator (skipped).
        case released
        /// The lease ran out.
        case expired
        /// A reviewer rejected the task's consensus: the work is history.
        case rejected
        /// A remediation redid the task: the work is history and the annotator is kept off it.
        case remediated
    }

    public var id: Int64
    public var projectId: ProjectID
    public var taskId: TaskID
    public var userId: UserID
    public var status: Status
    public var leaseExpiresAt: Date?
    public var claimedAt: Date
    /// When the annotator first saved labels: until then they see the task's pre-labels.
    public var savedAt: Date?
    public var submittedAt: Date?

    /// The task as this annotator sees it: exactly what a k = 1 task looks
    /// like, so nothing tells a gold task or a consensus task apart.
    public func view(of task: LabelTask) -> LabelTask {
        var view = task
        switch status {
        case .inProgress: view.status = .inProgress
        case .submitted: view.status = task.status == .open ? .submitted : task.status
        case .released, .expired, .rejected, .remediated: view.status = .open
        }
        view.assigneeId = status == .inProgress || status == .submitted ? userId : nil
        view.leaseExpiresAt = status == .inProgress ? leaseExpiresAt : nil
        return view
    }
}
