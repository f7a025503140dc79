/// When gold results pause an annotator.
public struct GoldPolicy: Sendable {
    /// Mean F1 over the window below which claiming is paused.
    public var accuracyThreshold: Double
    /// The latest results counted (since the last reinstatement).
    public var window: Int
    /// Results needed before anyone is judged.
    public var minimum: Int

    public init(_ settings: ProjectSettings) {
        accuracyThreshold = settings.goldAccuracyThreshold
        window = settings.goldWindow
        minimum = settings.goldMinimum
    }
}
