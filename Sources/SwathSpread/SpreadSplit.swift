import Foundation

/// How fires are divided between train, validation and test (`--split`), whole fires only — a fire in two
/// splits would let a model see tomorrow's perimeter of a test fire while training.
/// `fire:0.7,0.15,0.15` (the default): fires drawn by a seeded hash of their id, in those shares by count.
/// `time:2026-08-20[,2026-09-01]`: fires by their first observation — before the first date train, before the
/// second validation, the rest test (one date: no validation).
public enum SpreadSplit: Sendable, Equatable {
    case byFire(train: Double, validation: Double, test: Double, seed: UInt64)
    case byTime(validationFrom: Date, testFrom: Date?)

    public static let names = ["train", "validation", "test"]

    public init(argument: String, seed: UInt64 = 0) throws {
        let parts = argument.split(separator: ":", maxSplits: 1).map(String.init)
        guard parts.count == 2 else { throw SpreadError("--split \(argument): expected fire:TRAIN,VALIDATION,TEST or time:DATE[,DATE]") }
        let values = parts[1].split(separator: ",").map(String.init)
        switch parts[0] {
        case "fire":
            let shares = values.compactMap(Double.init)
            guard shares.count == 3, values.count == 3, shares.allSatisfy({ $0 >= 0 && $0.isFinite }),
                  abs(shares.reduce(0, +) - 1) < 1e-9 else {
                throw SpreadError("--split \(argument): three shares from 0 to 1 that add up to 1, e.g. fire:0.7,0.15,0.15")
            }
            self = .byFire(train: shares[0], validation: shares[1], test: shares[2], seed: seed)
        case "time":
            let dates = values.compactMap(Self.day)
            guard (1...2).contains(values.count), dates.count == values.count, dates.count < 2 || dates[0] < dates[1] else {
                throw SpreadError("--split \(argument): one or two increasing days, yyyy-mm-dd (UTC)")
            }
            self = dates.count == 2 ? .byTime(validationFrom: dates[0], testFrom: dates[1]) : .byTime(validationFrom: dates[0], testFrom: nil)
        default:
            throw SpreadError("--split \(argument): '\(parts[0])' is not fire or time")
        }
    }

    /// Each fire's split, by id: every fire in exactly one.
    public func assign(_ fires: [(id: Int, firstObserved: Date)]) -> [Int: String] {
        switch self {
        case .byFire(let train, let validation, _, let seed):
            let shuffled = fires.map(\.id).sorted { Self.mix(UInt64($0) ^ seed) < Self.mix(UInt64($1) ^ seed) }
            let trainCount = Int((Double(shuffled.count) * train).rounded())
            let validationCount = min(shuffled.count - trainCount, Int((Double(shuffled.count) * validation).rounded()))
            return Dictionary(uniqueKeysWithValues: shuffled.enumerated().map { index, id in
                (id, index < trainCount ? "train" : index < trainCount + validationCount ? "validation" : "test")
            })
        case .byTime(let validationFrom, let testFrom):
            return Dictionary(uniqueKeysWithValues: fires.map { fire in
                let name = fire.firstObserved < validationFrom ? "train"
                    : testFrom.map { fire.firstObserved < $0 ? "validation" : "test" } ?? "test"
                return (fire.id, name)
            })
        }
    }

    /// SplitMix64's finaliser: a well-spread, stable order for a seed.
    static func mix(_ value: UInt64) -> UInt64 {
        var z = value &+ 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    static func day(_ text: String) -> Date? {
        guard text.count == 10, let date = CFTime.date(text) else { return nil }
        return date
    }
}
