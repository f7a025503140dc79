/// A submitted outline's signature as the copy index keeps it: whose, where, and its shape.
public struct IndexedShape: Sendable, Equatable {
    public var labelId: Int64
    public var projectId: Int64
    public var sceneId: Int64
    public var taskId: Int64
    public var userId: Int64
    /// The label's class: a pasted tile keeps its classes.
    public var classId: Int
    public var signature: ShapeSignature

    public init(labelId: Int64, projectId: Int64, sceneId: Int64, taskId: Int64, userId: Int64, classId: Int, signature: ShapeSignature) {
        self.labelId = labelId
        self.projectId = projectId
        self.sceneId = sceneId
        self.taskId = taskId
        self.userId = userId
        self.classId = classId
        self.signature = signature
    }

    /// The log-area bin the index files a shape under: 15% wide, so a copy
    /// scaled by up to that much is in the same bin or the next.
    public static func areaBin(_ area: Double) -> Int { Int((log(max(area, 1e-9)) / 0.15).rounded(.down)) }
}

import Foundation
