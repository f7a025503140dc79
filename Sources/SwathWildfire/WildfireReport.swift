/// What an extraction wrote.
public struct WildfireReport: Sendable {
    public var features: [WildfireFeature]
    /// Stack files, relative to the output folder.
    public var files: [String]
    public var seconds: Double
    /// Features the inputs could not give, with why (a missing band role).
    public var leftOut: [String]
}
