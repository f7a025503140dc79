/// What an extraction wrote.
public struct WildfireReport: Sendable {
    public var features: [WildfireFeature]
    /// Stack files, relative to the output folder.
    public var files: [String]
    public var seconds: Double
}
