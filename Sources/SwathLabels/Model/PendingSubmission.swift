import Foundation

/// A submission whose integrity checks and gold score are not yet recorded,
/// with the time the server measured from claim to submit (the client's own
/// `secondsSpent` is advice, never evidence).
public struct PendingSubmission: Equatable, Sendable {
    public var taskId: TaskID
    public var userId: UserID
    public var secondsOnTask: Double
    public var submittedAt: Date

    public init(taskId: TaskID, userId: UserID, secondsOnTask: Double, submittedAt: Date) {
        self.taskId = taskId
        self.userId = userId
        self.secondsOnTask = secondsOnTask
        self.submittedAt = submittedAt
    }
}
