import Foundation

/// How sample values map to 0–255: between two percentiles of each band's
/// values over the whole scene (`p2-98`, the default), or between its
/// minimum and maximum (`minmax`).
public struct Stretch: Hashable, Sendable, CustomStringConvertible {
    /// Percentiles, in tenths of a percent so that cache keys stay exact.
    public let lowPermille: Int
    public let highPermille: Int

    public static let standard = Stretch(lowPermille: 20, highPermille: 980)
    public static let minMax = Stretch(lowPermille: 0, highPermille: 1000)

    init(lowPermille: Int, highPermille: Int) {
        (self.lowPermille, self.highPermille) = (lowPermille, highPermille)
    }

    /// `p<low>-<high>` (percent, up to one decimal: `p0.5-99.5`) or `minmax`.
    public init(parameter: String?) throws {
        guard let parameter, !parameter.isEmpty else { self = .standard; return }
        if parameter == "minmax" { self = .minMax; return }
        let invalid = MapTileError.badRequest("stretch must be minmax or p<low>-<high> with 0 ≤ low < high ≤ 100 (e.g. p2-98), got '\(parameter)'")
        guard parameter.hasPrefix("p") else { throw invalid }
        let bounds = parameter.dropFirst().split(separator: "-", omittingEmptySubsequences: false)
        guard bounds.count == 2, let low = Self.permille(bounds[0]), let high = Self.permille(bounds[1]),
              low < high, high <= 1000 else { throw invalid }
        self.init(lowPermille: low, highPermille: high)
    }

    private static func permille(_ text: Substring) -> Int? {
        guard !text.isEmpty, text.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == ".") }),
              let value = Double(text), value >= 0, value <= 100 else { return nil }
        let tenths = value * 10
        guard abs(tenths - tenths.rounded()) < 1e-9 else { return nil }
        return Int(tenths.rounded())
    }

    public var description: String {
        if self == .minMax { return "minmax" }
        func percent(_ permille: Int) -> String {
            permille % 10 == 0 ? "\(permille / 10)" : "\(permille / 10).\(permille % 10)"
        }
        return "p\(percent(lowPermille))-\(percent(highPermille))"
    }
}
