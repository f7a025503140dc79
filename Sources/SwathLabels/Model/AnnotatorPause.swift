import Foundation

/// An annotator stopped from claiming in a project because their rolling
/// accuracy on gold tasks fell below the project's threshold, until a
/// manager reinstates them.
public struct AnnotatorPause: Equatable, Sendable {
    public var id: Int64
    public var projectId: ProjectID
    public var userId: UserID
    /// The numbers behind the pause, for the manager.
    public var reason: String
    public var pausedAt: Date
    public var reinstatedAt: Date?
    public var reinstatedBy: UserID?

    public var isActive: Bool { reinstatedAt == nil }
}
