import SwathGeo

/// What a project pays for accepted work, in whole minor units of one
/// currency (cents for USD): per accepted task, per accepted label, per hour
/// of server-measured time (claim to submit) on accepted tasks, plus a bonus
/// band on gold accuracy. Gold and qualification tasks are tests, not paid work.
public struct PayRates: Codable, Equatable, Sendable {
    /// ISO 4217 code, three capital letters.
    public var currency: String
    public var perTask: Int
    public var perLabel: Int
    public var perHour: Int
    public var bonusBands: [BonusBand]

    /// The most a rate may be (a million units per task is already absurd); keeps every sum far from overflow.
    public static let maximumRate = 100_000_000

    public init(currency: String, perTask: Int = 0, perLabel: Int = 0, perHour: Int = 0, bonusBands: [BonusBand] = []) {
        self.currency = currency
        self.perTask = perTask
        self.perLabel = perLabel
        self.perHour = perHour
        self.bonusBands = bonusBands
    }

    /// Rates left out are 0; the currency is required.
    public init(from decoder: any Decoder) throws {
        let values = try decoder.container(keyedBy: CodingKeys.self)
        currency = try values.decode(String.self, forKey: .currency)
        perTask = try values.decodeWholeIfPresent(forKey: .perTask) ?? 0
        perLabel = try values.decodeWholeIfPresent(forKey: .perLabel) ?? 0
        perHour = try values.decodeWholeIfPresent(forKey: .perHour) ?? 0
        bonusBands = try values.decodeIfPresent([BonusBand].self, forKey: .bonusBands) ?? []
    }

    /// Why these rates cannot be used, naming the field; nil when they can.
    public var problem: String? {
        let letters = currency.unicodeScalars
        guard letters.count == 3, letters.allSatisfy({ ("A"..."Z").contains($0) }) else {
            return "pay.currency must be an ISO 4217 code of three capital letters, got '\(currency.prefix(16))'"
        }
        for (name, rate) in [("perTask", perTask), ("perLabel", perLabel), ("perHour", perHour)]
        where !(0...Self.maximumRate).contains(rate) {
            return "pay.\(name) must be a whole number of minor units, 0…\(Self.maximumRate), got \(rate)"
        }
        guard bonusBands.count <= 10 else { return "pay.bonusBands lists \(bonusBands.count) bands; at most 10" }
        for (index, band) in bonusBands.enumerated() {
            guard band.minimumGoldF1.isFinite, (0...1).contains(band.minimumGoldF1) else {
                return "pay.bonusBands[\(index)].minimumGoldF1 must be between 0 and 1, got \(band.minimumGoldF1)"
            }
            guard (0...100).contains(band.percent) else {
                return "pay.bonusBands[\(index)].percent must be a whole 0…100, got \(band.percent)"
            }
        }
        guard Set(bonusBands.map(\.minimumGoldF1)).count == bonusBands.count else {
            return "pay.bonusBands has two bands with the same minimumGoldF1"
        }
        return nil
    }
}
