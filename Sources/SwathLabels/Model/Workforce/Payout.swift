import Foundation

/// A closed pay period of a project, [from, to): everything in the ledger
/// dated in it is paid and never changes afterwards.
public struct Payout: Codable, Equatable, Sendable {
    public var id: Int64
    public var projectId: ProjectID
    public var from: Date
    public var to: Date
    /// The net of the period's entries when it was closed, in minor units.
    public var total: Int
    public var entries: Int
    public var closedAt: Date
    public var closedBy: UserID?
}
