/// What an extraction wrote.
public struct WildfireReport: Sendable {
    public var features: [WildfireFeature]
    /// Stack files, relative to the output folder.
    public var files: [String]
    public var seconds: Double
    /// Features the inputs could not give, with why (a missing band role).
    public var leftOut: [String]
    /// False when a shard finished before the others: the last one writes summary.json and features.json.
    public var catalogWritten = true
}
