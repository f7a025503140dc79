import SwathGeo

/// One split's line on the dataset card: its fires and samples, how much of the targets burned, and the
/// baselines' skill on the newly burned cells.
public struct SplitSummary: Sendable {
    public var fires = Set<Int>()
    public var samples = 0
    public var cells = 0
    public var burnedCells = 0
    public var newBurnedCells = 0
    public var persistence = SpreadSkill()
    public var windSlopeSpread = SpreadSkill()

    public init() {}

    var json: JSONValue {
        let share = { (part: Int) in cells == 0 ? JSONValue.null : .number(Double(part) / Double(cells)) }
        let skill = { (s: SpreadSkill) in JSONValue.object(["iou": s.iou.map(JSONValue.number) ?? .null, "f1": s.f1.map(JSONValue.number) ?? .null]) }
        return .object([
            "fires": .number(Double(fires.count)), "samples": .number(Double(samples)),
            "burnedShare": share(burnedCells), "newBurnedShare": share(newBurnedCells),
            "baselines": .object(["persistence": skill(persistence), "windSlopeSpread": skill(windSlopeSpread)]),
        ])
    }
}
