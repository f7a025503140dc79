import Foundation

/// How accepted work turns into ledger entries: the one place both stores
/// take the amounts from, inside the transaction that accepts the work.
enum PayRules {
    /// Base pay for one annotator's part in an accepted task, and its bonus:
    /// per task + per label × labels + per hour × hours (rounded down to a
    /// whole minor unit), then the band's percent of that, rounded down.
    /// Zero amounts are left out: the ledger records money, not events.
    static func earnings(rates: PayRates, labels: Int, seconds: Double, goldF1: Double?) -> [(cause: PayCause, amount: Int)] {
        let hourly = Int((Double(rates.perHour) * max(seconds, 0) / 3600).rounded(.down))
        let base = rates.perTask + rates.perLabel * labels + hourly
        let bonus = base * bonusPercent(rates.bonusBands, goldF1: goldF1) / 100
        return [(PayCause.acceptance, base), (.bonus, bonus)].filter { $0.amount > 0 }
    }

    /// The highest band the annotator's gold F1 reaches; 0 without enough gold results.
    static func bonusPercent(_ bands: [BonusBand], goldF1: Double?) -> Int {
        guard let goldF1 else { return 0 }
        return bands.filter { goldF1 >= $0.minimumGoldF1 }.max { $0.minimumGoldF1 < $1.minimumGoldF1 }?.percent ?? 0
    }

    /// The rolling gold F1 the bonus is judged on: the mean of the latest results
    /// (newest first, qualification tests excluded), once there are `minimum`.
    static func rollingGoldF1(recent: [Double], minimum: Int) -> Double? {
        guard !recent.isEmpty, recent.count >= minimum else { return nil }
        return recent.reduce(0, +) / Double(recent.count)
    }

    /// Whether a period may be closed: it has ended and meets no closed one.
    static func checkPayout(from: Double, to: Double, now: Double, overlapping: (from: Double, to: Double)?) throws {
        guard from < to else { throw LabelingError.invalid("from must be before to") }
        guard to <= now else {
            throw LabelingError.conflict("the period is still open (it ends after now); close it once it has ended")
        }
        if let overlapping {
            throw LabelingError.conflict("the period overlaps a closed payout (\(day(overlapping.from)) – \(day(overlapping.to - 1)))")
        }
    }

    private static func day(_ seconds: Double) -> String { UTCDay.string(Date(timeIntervalSince1970: seconds)) }
}
