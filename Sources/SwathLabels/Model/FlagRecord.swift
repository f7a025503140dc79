import Foundation
import SwathQuality

/// An integrity flag as stored: who, where, what kind, and the evidence.
/// Shown to managers, never to the annotator.
public struct FlagRecord: Equatable, Sendable {
    public var id: Int64
    public var projectId: ProjectID
    public var userId: UserID
    public var taskId: TaskID?
    public var labelId: LabelID?
    public var kind: IntegrityFlag.Kind
    public var evidence: String
    public var createdAt: Date
}

/// A flag before it is stored. `onceKey` names an annotator-wide finding
/// (such as "same class on every task") that is raised once, not per task.
public struct FlagDraft: Sendable {
    public var projectId: ProjectID
    public var userId: UserID
    public var taskId: TaskID?
    public var labelId: LabelID?
    public var flag: IntegrityFlag
    public var onceKey: String?

    public init(projectId: ProjectID, userId: UserID, taskId: TaskID?, labelId: LabelID? = nil, flag: IntegrityFlag, onceKey: String? = nil) {
        self.projectId = projectId
        self.userId = userId
        self.taskId = taskId
        self.labelId = labelId
        self.flag = flag
        self.onceKey = onceKey
    }
}
