/// How much each signal adds to an annotator's risk (see `RiskScore`).
/// Flag weights count per task flagged; `goldShortfall` and
/// `agreementShortfall` weigh the relative shortfall (0…1) of the
/// annotator's gold F1 under the project's threshold and of their agreement
/// under the project's median annotator.
///
/// The defaults were set on the simulation (`swath simulate`): one task
/// flagged with evidence of deception (a copy, machine-made work,
/// collusion, a change-point) puts an annotator past the default audit
/// threshold of 0.6 on its own (1 − e^(−1.5) = 0.78); a flag an honest
/// annotator can earn on a bad day (too fast, a sliver, an unedited
/// pre-label) does not (0.50), but two of them do (0.75).
public struct RiskWeights: Codable, Equatable, Sendable {
    public var flags: [String: Double]
    public var goldShortfall: Double
    public var agreementShortfall: Double

    public init(flags: [String: Double] = [:], goldShortfall: Double = 1.0, agreementShortfall: Double = 1.0) {
        self.flags = flags
        self.goldShortfall = goldShortfall
        self.agreementShortfall = agreementShortfall
    }

    /// Fields left out keep their defaults; a flag kind left out of `flags` weighs its default.
    public init(from decoder: any Decoder) throws {
        let values = try decoder.container(keyedBy: CodingKeys.self)
        flags = try values.decodeIfPresent([String: Double].self, forKey: .flags) ?? [:]
        goldShortfall = try values.decodeIfPresent(Double.self, forKey: .goldShortfall) ?? 1
        agreementShortfall = try values.decodeIfPresent(Double.self, forKey: .agreementShortfall) ?? 1
    }

    public static let defaultFlags: [String: Double] = [
        IntegrityFlag.Kind.copiedGeometry.rawValue: 1.5,
        IntegrityFlag.Kind.copiedReference.rawValue: 1.5,
        IntegrityFlag.Kind.machineMade.rawValue: 1.5,
        IntegrityFlag.Kind.collusion.rawValue: 1.5,
        IntegrityFlag.Kind.qualityShift.rawValue: 1.5,
        IntegrityFlag.Kind.uneditedPrelabel.rawValue: 0.7,
        IntegrityFlag.Kind.implausibleSpeed.rawValue: 0.7,
        IntegrityFlag.Kind.degenerateWork.rawValue: 0.7,
        IntegrityFlag.Kind.displacedWork.rawValue: 0.7,
    ]

    /// A flag kind's weight (a kind the settings do not name weighs its default).
    public func weight(_ kind: IntegrityFlag.Kind) -> Double { flags[kind.rawValue] ?? Self.defaultFlags[kind.rawValue] ?? 1 }

    /// The first field out of range (each weight 0…10, flag names known), as "riskWeights.flags.copied_geometry must be …".
    public var problem: String? {
        for (name, value) in flags.sorted(by: { $0.key < $1.key }) {
            guard IntegrityFlag.Kind(rawValue: name) != nil else {
                return "riskWeights.flags has no flag kind \"\(name)\" (known: \(IntegrityFlag.Kind.allCases.map(\.rawValue).joined(separator: ", ")))"
            }
            if !(value.isFinite && (0...10).contains(value)) { return "riskWeights.flags.\(name) must be 0…10, got \(value)" }
        }
        for (name, value) in [("goldShortfall", goldShortfall), ("agreementShortfall", agreementShortfall)]
            where !(value.isFinite && (0...10).contains(value)) {
            return "riskWeights.\(name) must be 0…10, got \(value)"
        }
        return nil
    }
}
