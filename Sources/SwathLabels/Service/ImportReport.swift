/// What an import did: per feature accepted or refused (with the reason),
/// and the pre-labels it attached to tasks.
public struct ImportReport: Encodable, Sendable {
    public struct Rejection: Encodable, Sendable {
        public var fid: Int64
        public var reason: String
    }

    public var sceneId: SceneID
    public var layer: String
    public var featuresRead: Int
    public var featuresAccepted: Int
    public var labelsCreated: Int
    public var tasksTouched: Int
    public var rejected: [Rejection]
    /// Model pre-labels only: tasks left alone because an annotator holds them, has drawn in them, or they were submitted.
    public var tasksSkipped: Int? = nil
}
