import Foundation

/// An annotator's own statement by day: what accepted work earned (approved),
/// what of it is paid out, and what is still pending payout. Nothing is earned
/// before acceptance. (No count of work awaiting review: gold turns never await
/// one, so the count would tell which task was gold.)
public struct EarningsStatement: Encodable, Sendable {
    public struct Day: Encodable, Sendable {
        public var day: String
        public var project: String
        public var currency: String
        public var tasks: Int
        public var acceptance: Int
        public var bonus: Int
        public var reversal: Int
        public var approved: Int
        public var paid: Int
        public var pending: Int
    }

    public struct Total: Encodable, Sendable {
        public var currency: String
        public var approved: Int
        public var paid: Int
        public var pending: Int
    }

    public var from: String
    public var to: String
    public var days: [Day]
    public var totals: [Total]
}
