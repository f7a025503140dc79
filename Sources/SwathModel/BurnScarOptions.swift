import Foundation

/// How burn scars are drafted from dNBR: the severity thresholds (USGS by default, on
/// reflectance-based dNBR), the minimum mapping unit, and the reflectance scaling of the scenes.
public struct BurnScarOptions: Sendable, Equatable {
    /// Lower bounds of low, moderate-low, moderate-high and high severity (dNBR; inclusive).
    public var thresholds: [Double] = BurnScarOptions.usgsThresholds
    /// Regions (burned or not) smaller than this are merged into their surroundings.
    public var minimumMappingUnitHectares = 0.5
    /// Reflectance = DN × scale + offset (dNBR depends on the offset).
    public var scale = 1.0
    public var offset = 0.0
    public var threads = max(1, ProcessInfo.processInfo.activeProcessorCount)

    /// Key & Benson (FIREMON): low 0.10, moderate-low 0.27, moderate-high 0.44, high 0.66.
    public static let usgsThresholds = [0.10, 0.27, 0.44, 0.66]

    public init() {}

    /// Checked: four increasing finite thresholds, an MMU of 0 to 10,000 ha, a positive scale.
    public func validate() throws {
        guard thresholds.count == 4, thresholds.allSatisfy(\.isFinite), zip(thresholds, thresholds.dropFirst()).allSatisfy({ $0 < $1 }) else {
            throw BurnScarError("thresholds: give four increasing dNBR values (low, moderate-low, moderate-high, high), "
                                + "got \(thresholds.map { String($0) }.joined(separator: ","))")
        }
        guard minimumMappingUnitHectares.isFinite, (0...10_000).contains(minimumMappingUnitHectares) else {
            throw BurnScarError("mmu-ha: must be 0 to 10000 hectares, got \(minimumMappingUnitHectares)")
        }
        guard scale.isFinite, scale > 0, offset.isFinite else { throw BurnScarError("scale must be positive and offset finite") }
    }

    /// "0.1,0.27,0.44,0.66" → the four thresholds.
    public static func parseThresholds(_ text: String) throws -> [Double] {
        let values = text.split(separator: ",").map { Double($0.trimmingCharacters(in: .whitespaces)) }
        guard values.count == 4, values.allSatisfy({ $0 != nil }) else {
            throw BurnScarError("thresholds: give four comma-separated dNBR values (low, moderate-low, moderate-high, high), got '\(text.prefix(80))'")
        }
        return values.compactMap { $0 }
    }

    /// Severity class (0: not burned, 1 low … 4 high) of a dNBR value.
    func severity(_ dnbr: Float) -> UInt8 {
        var level: UInt8 = 0
        for threshold in thresholds where Double(dnbr) >= threshold { level += 1 }
        return level
    }
}
