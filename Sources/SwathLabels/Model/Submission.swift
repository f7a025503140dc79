import Foundation

/// One annotator's finished work on one task.
public struct Submission: Sendable {
    public var userId: UserID
    public var taskId: TaskID
    public var sceneId: SceneID
    public var labels: [Label]
    /// Whether it was a turn on a consensus or gold task (a set of its own).
    public var isTurn: Bool

    public init(userId: UserID, taskId: TaskID, sceneId: SceneID, labels: [Label], isTurn: Bool) {
        self.userId = userId
        self.taskId = taskId
        self.sceneId = sceneId
        self.labels = labels
        self.isTurn = isTurn
    }

    /// Seconds the workbench reported for the labels drawn by hand.
    public var secondsSpent: Double { labels.reduce(0) { $0 + $1.secondsSpent } }
}
