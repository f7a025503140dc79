import Foundation

/// One row of the append-only pay ledger, written in the transaction of the
/// event that causes it.
public struct PayEntry: Codable, Equatable, Sendable {
    public var id: Int64
    public var projectId: ProjectID
    public var userId: UserID
    public var taskId: TaskID
    public var cause: PayCause
    /// Minor units; negative for a reversal.
    public var amount: Int
    public var currency: String
    /// What the amount pays for: labels and server-measured seconds (acceptances).
    public var labels: Int
    public var seconds: Double
    /// The entry a reversal takes back.
    public var reverses: Int64?
    public var createdAt: Date

    public init(id: Int64, projectId: ProjectID, userId: UserID, taskId: TaskID, cause: PayCause, amount: Int, currency: String,
                labels: Int, seconds: Double, reverses: Int64?, createdAt: Date) {
        self.id = id
        self.projectId = projectId
        self.userId = userId
        self.taskId = taskId
        self.cause = cause
        self.amount = amount
        self.currency = currency
        self.labels = labels
        self.seconds = seconds
        self.reverses = reverses
        self.createdAt = createdAt
    }
}
