/// One named plane of a spread sample, row by row over its window: an input at today's observation
/// (the fire, a weather role, a derived wind term) or a target at tomorrow's. NaN: no data.
public struct SpreadBand: Sendable, Equatable {
    public var name: String
    public var values: [Float]

    public init(name: String, values: [Float]) {
        (self.name, self.values) = (name, values)
    }

    public static let fireMask = "fire_mask"
    public static let targetFireMask = "target_fire_mask"
    public static let targetBurnedNew = "target_burned_new"
}
