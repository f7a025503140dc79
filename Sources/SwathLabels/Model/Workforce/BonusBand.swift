import SwathGeo

/// A gold-accuracy bonus: an annotator whose rolling gold F1 is at least
/// `minimumGoldF1` earns `percent` % on top of each accepted task's pay.
public struct BonusBand: Codable, Equatable, Sendable {
    public var minimumGoldF1: Double
    public var percent: Int

    public init(minimumGoldF1: Double, percent: Int) {
        self.minimumGoldF1 = minimumGoldF1
        self.percent = percent
    }

    public init(from decoder: any Decoder) throws {
        let values = try decoder.container(keyedBy: CodingKeys.self)
        minimumGoldF1 = try values.decode(Double.self, forKey: .minimumGoldF1)
        guard let percent = try values.decodeWholeIfPresent(forKey: .percent) else {
            throw DecodingError.keyNotFound(CodingKeys.percent, .init(codingPath: values.codingPath, debugDescription: "percent is required"))
        }
        self.percent = percent
    }
}
