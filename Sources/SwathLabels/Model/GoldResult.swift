import Foundation

/// One annotator's score on one gold task.
public struct GoldResult: Equatable, Sendable {
    public var projectId: ProjectID
    public var userId: UserID
    public var taskId: TaskID
    /// F1 of polygons matched at IoU ≥ 0.5 against the reference.
    public var f1: Double
    /// Share of outlines within two pixels of the reference's (boundary F1).
    public var boundaryF1: Double
    public var createdAt: Date

    public init(projectId: ProjectID, userId: UserID, taskId: TaskID, f1: Double, boundaryF1: Double, createdAt: Date) {
        self.projectId = projectId
        self.userId = userId
        self.taskId = taskId
        self.f1 = f1
        self.boundaryF1 = boundaryF1
        self.createdAt = createdAt
    }
}
