import Foundation

/// A pay period named by days (UTC, yyyy-MM-dd, both included): [from 00:00, the day after `to` 00:00).
public struct PayPeriod: Sendable, Equatable {
    public var from: Date
    public var to: Date
    public var fromDay: String
    public var toDay: String

    /// The longest period a statement covers (a bound on what one request reads).
    public static let maximumDays = 400

    public init(from: String, to: String) throws {
        guard let start = UTCDay.start(from) else { throw LabelingError.invalid("from must be a day written yyyy-MM-dd, got '\(from.prefix(32))'") }
        guard let last = UTCDay.start(to) else { throw LabelingError.invalid("to must be a day written yyyy-MM-dd, got '\(to.prefix(32))'") }
        guard last >= start else { throw LabelingError.invalid("to (\(to)) is before from (\(from))") }
        let end = last.addingTimeInterval(86_400)
        guard end.timeIntervalSince(start) <= Double(Self.maximumDays) * 86_400 else {
            throw LabelingError.invalid("the period from \(from) to \(to) is longer than \(Self.maximumDays) days")
        }
        self.from = start
        self.to = end
        fromDay = from
        toDay = to
    }
}
