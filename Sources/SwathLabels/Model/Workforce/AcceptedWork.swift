import Foundation

/// One annotator's part in one accepted task: a k = 1 task's submitter, or
/// one of the submitted turns of an accepted consensus task.
public struct AcceptedWork: Equatable, Sendable {
    public var taskId: TaskID
    public var userId: UserID
    /// When the work was handed in (server clock).
    public var submittedAt: Date
    /// Current accepted labels the task carries (a consensus counts the consensus set).
    public var labels: Int
}
