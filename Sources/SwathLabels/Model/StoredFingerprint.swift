import SwathQuality

/// A submitted label's outline, kept to find copies in later work,
/// in any task, scene or project.
public struct StoredFingerprint: Sendable {
    public var labelId: LabelID
    public var projectId: ProjectID
    public var sceneId: SceneID
    public var taskId: TaskID
    public var userId: UserID
    public var fingerprint: ShapeFingerprint
    public var perimeterBucket: Int
    /// `ShapeFingerprint.radiusBuckets` at the same tolerance (nil in rows stored before they were kept).
    public var radiusBuckets: (reach: Int, inner: Int)?
    /// The registered shape in the scene's pixels, for copies that dodge the exact fingerprint (nil when degenerate).
    public var shape: ShapeSignature?
    public var classId = 0

    public init(labelId: LabelID, projectId: ProjectID, sceneId: SceneID, taskId: TaskID, userId: UserID,
                fingerprint: ShapeFingerprint, perimeterBucket: Int, radiusBuckets: (reach: Int, inner: Int)? = nil, shape: ShapeSignature? = nil) {
        self.labelId = labelId
        self.projectId = projectId
        self.sceneId = sceneId
        self.taskId = taskId
        self.userId = userId
        self.fingerprint = fingerprint
        self.perimeterBucket = perimeterBucket
        self.radiusBuckets = radiusBuckets
        self.shape = shape
    }

    var indexedShape: IndexedShape? {
        shape.map { IndexedShape(labelId: labelId, projectId: projectId, sceneId: sceneId, taskId: taskId, userId: userId, classId: classId, signature: $0) }
    }
}
