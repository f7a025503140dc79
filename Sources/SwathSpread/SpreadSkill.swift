/// How well a prediction of tomorrow's fire finds the ground that burns *next*
/// (the newly burned pixels, which is what a spread model must get right —
/// today's fire is given): intersection over union and F1 of the predicted
/// new burn against the true new burn. Masks are row-by-row, one value per pixel.
public struct SpreadSkill: Sendable, Equatable {
    public var truePositives = 0
    public var falsePositives = 0
    public var falseNegatives = 0

    public init() {}

    /// Adds one sample: `today` burned, `tomorrow` burned (the target), `predicted` burned tomorrow.
    /// Pixels burned today are left out of both sides (they are not news).
    public mutating func add(today: [Bool], tomorrow: [Bool], predicted: [Bool]) {
        for pixel in today.indices where !today[pixel] {
            switch (tomorrow[pixel], predicted[pixel]) {
            case (true, true): truePositives += 1
            case (false, true): falsePositives += 1
            case (true, false): falseNegatives += 1
            case (false, false): break
            }
        }
    }

    /// |predicted ∩ true| / |predicted ∪ true|; nil when neither has a pixel (nothing to score).
    public var iou: Double? {
        let union = truePositives + falsePositives + falseNegatives
        return union == 0 ? nil : Double(truePositives) / Double(union)
    }

    /// 2·|predicted ∩ true| / (|predicted| + |true|); nil when neither has a pixel.
    public var f1: Double? {
        let total = 2 * truePositives + falsePositives + falseNegatives
        return total == 0 ? nil : 2 * Double(truePositives) / Double(total)
    }
}
