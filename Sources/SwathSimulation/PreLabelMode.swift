/// Where the simulated project's pre-labels come from.
public enum PreLabelMode: String, CaseIterable, Sendable {
    /// A coarse tracing of the truth imported at the start (2.5 px jitter, a tenth of objects missed).
    case imported
    /// The pixel classifier, trained on the accepted work once enough of it exists.
    case model
    case none
}
