import Foundation

/// What a remediation touched, exactly.
public struct RemediationOutcome: Codable, Equatable, Sendable {
    public var id: Int64
    public var projectId: ProjectID
    /// Tasks reopened for fresh annotators.
    public var tasks: [TaskID]
    /// Accepted labels (and the turns' own sets) moved to history.
    public var labels: Int
    /// Annotators of the selection whose work was redone.
    public var annotators: [UserID]
    /// Everyone whose work on those tasks is now history (they will not be served the task again).
    public var excluded: [UserID]
    /// Unpaid pay taken back (minor units, positive) and how many entries.
    public var reversed: Int
    public var reversedEntries: Int
    /// Pay of the selection on those tasks already inside a closed payout: shown, not touched.
    public var alreadyPaid: Int
    public var currency: String?
    public var createdAt: Date
}
