/// Why a ledger entry exists.
public enum PayCause: String, Codable, CaseIterable, Sendable {
    /// A task's work accepted (review or consensus): the base pay.
    case acceptance
    /// The gold-accuracy bonus on an acceptance.
    case bonus
    /// Takes back an unpaid acceptance or bonus (remediation).
    case reversal
}
