import Foundation
import SwathGeo

/// What a stack file holds, in numbers a person reads before opening it:
/// burned area, the severity histogram, mean slope, the burned mask's
/// outline length, and the mean spread rate. Sums, so windows add up.
public struct StackSummary: Sendable, Codable {
    var burnedPixels = 0
    var hasBurned = false
    var severityCounts = [Int](repeating: 0, count: 7)  // index = class 1…6
    var hasSeverity = false
    var slopeSum = 0.0, slopeCount = 0
    /// Pixel edges between burned and unburned ground.
    var edges = 0
    var spreadSum = 0.0, spreadCount = 0
    var hasSpread = false

    mutating func add(_ other: StackSummary) {
        burnedPixels += other.burnedPixels
        hasBurned = hasBurned || other.hasBurned
        for index in severityCounts.indices { severityCounts[index] += other.severityCounts[index] }
        hasSeverity = hasSeverity || other.hasSeverity
        slopeSum += other.slopeSum
        slopeCount += other.slopeCount
        edges += other.edges
        spreadSum += other.spreadSum
        spreadCount += other.spreadCount
        hasSpread = hasSpread || other.hasSpread
    }

    /// One JSON object; `pixelArea` in m², `pixelSize` in m.
    func json(file: String, pixelArea: Double, pixelSize: Double) -> JSONValue {
        func optional(_ present: Bool, _ value: @autoclosure () -> Double) -> JSONValue { present ? .number(value()) : .null }
        let labels = ["enhanced_regrowth", "unburned", "low", "moderate_low", "moderate_high", "high"]
        let histogram: JSONValue = hasSeverity
            ? .object(Dictionary(uniqueKeysWithValues: labels.enumerated().map { ($1, JSONValue.number(Double(severityCounts[$0 + 1]))) }))
            : .null
        return .object([
            "file": .string(file),
            "burnedAreaHectares": optional(hasBurned, Double(burnedPixels) * pixelArea / 10_000),
            "perimeterMetres": optional(hasBurned, Double(edges) * pixelSize),
            "severityHistogram": histogram,
            "meanSlopeDegrees": optional(slopeCount > 0, slopeSum / Double(max(slopeCount, 1))),
            "meanSpreadMetresPerDay": optional(spreadCount > 0, spreadSum / Double(max(spreadCount, 1))),
        ])
    }
}
