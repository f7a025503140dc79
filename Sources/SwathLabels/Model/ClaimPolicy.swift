/// What the queue needs from a project's settings to hand out work.
public struct ClaimPolicy: Sendable {
    public var leaseSeconds: Int
    /// k: annotators per task. Above 1, each works on an `Assignment` of their own.
    public var labelsPerTask: Int
    /// Chance that a claim is served a gold task the annotator has not done.
    public var goldRate: Double
    /// Which open tasks are served first.
    public var order: QueueOrder
    /// An applicant of a project that requires qualification: only qualification tasks are served.
    public var qualificationOnly = false

    public init(leaseSeconds: Int, labelsPerTask: Int, goldRate: Double, order: QueueOrder = .priority) {
        self.leaseSeconds = leaseSeconds
        self.labelsPerTask = labelsPerTask
        self.goldRate = goldRate
        self.order = order
    }

    public init(_ settings: ProjectSettings) {
        self.init(leaseSeconds: settings.leaseSeconds, labelsPerTask: settings.labelsPerTask, goldRate: settings.goldRate,
                  order: settings.queueOrder)
    }
}
