import SwathQuality

/// How two annotators agreed on one class of one completed consensus task.
public struct PairAgreement: Equatable, Sendable {
    public var taskId: TaskID
    public var firstUser: UserID
    public var secondUser: UserID
    public var agreement: ClassAgreement

    public init(taskId: TaskID, firstUser: UserID, secondUser: UserID, agreement: ClassAgreement) {
        self.taskId = taskId
        self.firstUser = firstUser
        self.secondUser = secondUser
        self.agreement = agreement
    }
}
