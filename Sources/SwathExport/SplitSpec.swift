/// How chips are split without leakage: square blocks of `blockChips` ×
/// `blockChips` chips share a split drawn (seeded) with `ratios`; chips that
/// overlap a chip of another split are left out (the buffer).
/// Written as "blocks=8,ratios=0.7/0.15/0.15,seed=1".
public struct SplitSpec: Equatable, Sendable {
    public var blockChips: Int
    public var ratios: [Double]  // train, validation, test
    public var seed: UInt64

    public init(blockChips: Int = 8, ratios: [Double] = [0.7, 0.15, 0.15], seed: UInt64 = 1) {
        self.blockChips = blockChips
        self.ratios = ratios
        self.seed = seed
    }

    public init(parsing text: String) throws {
        self.init()
        for part in text.split(separator: ",") {
            let pair = part.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard pair.count == 2 else { throw ExportError.invalidOption("--split", "'\(part)' is not key=value") }
            switch pair[0] {
            case "blocks":
                guard let value = Int(pair[1]), value >= 1 else { throw ExportError.invalidOption("--split", "blocks must be a whole number ≥ 1") }
                blockChips = value
            case "ratios":
                let values = pair[1].split(separator: "/").compactMap { Double($0) }
                guard values.count == 3, values.allSatisfy({ $0 >= 0 }), abs(values.reduce(0, +) - 1) < 1e-6 else {
                    throw ExportError.invalidOption("--split", "ratios must be three non-negative numbers summing to 1, e.g. 0.7/0.15/0.15")
                }
                ratios = values
            case "seed":
                guard let value = UInt64(pair[1]) else { throw ExportError.invalidOption("--split", "seed must be a whole number") }
                seed = value
            default:
                throw ExportError.invalidOption("--split", "unknown key '\(pair[0])' (blocks, ratios, seed)")
            }
        }
    }
}
