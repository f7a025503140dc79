import Foundation

/// An annotator's stored standing in one project. `paused` is never stored:
/// it is read from the gold pauses, which have their own reinstatement.
public struct AnnotatorStanding: Codable, Equatable, Sendable {
    public var projectId: ProjectID
    public var userId: UserID
    public var state: StandingState
    /// Why, in words the annotator may read (no reference labels, no other people).
    public var reason: String
    public var updatedAt: Date
    /// Qualification results before this do not count: a manager gave the annotator a fresh start.
    public var resultsSince: Date?

    public init(projectId: ProjectID, userId: UserID, state: StandingState, reason: String, updatedAt: Date, resultsSince: Date? = nil) {
        self.resultsSince = resultsSince
        self.projectId = projectId
        self.userId = userId
        self.state = state
        self.reason = reason
        self.updatedAt = updatedAt
    }
}
