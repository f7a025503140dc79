import Foundation

/// An annotator's standing as the annotator or a manager reads it: the state
/// and why, and the qualification test's figures (their own F1 per
/// qualification task, never the reference labels).
public struct StandingView: Encodable, Sendable {
    public var userId: UserID
    /// Managers only.
    public var name: String?
    /// The cohort's codename; managers only.
    public var cohort: String?
    public var state: StandingState
    public var reason: String
    public var qualification: QualificationSettings?
    /// F1 of each qualification task counted, in the order handed in.
    public var qualificationF1: [Double]
    public var updatedAt: Date?
}
