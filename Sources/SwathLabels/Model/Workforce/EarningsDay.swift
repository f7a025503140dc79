/// One day (UTC) of one annotator's ledger in one project.
public struct EarningsDay: Codable, Equatable, Sendable {
    /// yyyy-MM-dd, UTC.
    public var day: String
    public var projectId: ProjectID
    public var currency: String
    public var acceptance: Int
    public var bonus: Int
    public var reversal: Int
    /// Of the net, what is inside a closed payout.
    public var paid: Int
    public var tasks: Int

    public var net: Int { acceptance + bonus + reversal }
}
