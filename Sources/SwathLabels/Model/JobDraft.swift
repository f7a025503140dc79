/// A job to queue.
public struct JobDraft: Sendable {
    public var projectId: ProjectID
    public var kind: JobKind
    public var parameters: String
    public var maxAttempts: Int

    public init(projectId: ProjectID, kind: JobKind, parameters: String, maxAttempts: Int = JobRules.defaultMaxAttempts) {
        self.projectId = projectId
        self.kind = kind
        self.parameters = parameters
        self.maxAttempts = maxAttempts
    }
}
