import Foundation

public struct Review: Codable, Equatable, Sendable {
    public var id: Int64
    public var taskId: TaskID
    public var reviewerId: UserID
    public var decision: ReviewDecision
    public var comment: String?
    public var createdAt: Date
}
