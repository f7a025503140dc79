/// One annotator's ledger in a period, summed by cause.
public struct PayTotal: Codable, Equatable, Sendable {
    public var userId: UserID
    public var currency: String
    public var acceptance: Int
    public var bonus: Int
    public var reversal: Int
    /// Entries dated inside a closed payout.
    public var paid: Int
    /// Accepted tasks paid (acceptance entries) and what they counted.
    public var tasks: Int
    public var labels: Int
    public var seconds: Double

    public var net: Int { acceptance + bonus + reversal }
    public var unpaid: Int { net - paid }

    public init(userId: UserID, currency: String, acceptance: Int = 0, bonus: Int = 0, reversal: Int = 0, paid: Int = 0,
                tasks: Int = 0, labels: Int = 0, seconds: Double = 0) {
        self.userId = userId
        self.currency = currency
        self.acceptance = acceptance
        self.bonus = bonus
        self.reversal = reversal
        self.paid = paid
        self.tasks = tasks
        self.labels = labels
        self.seconds = seconds
    }
}
