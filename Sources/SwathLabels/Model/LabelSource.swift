/// Where a label came from: drawn by a person, imported from an existing
/// survey, predicted by a model (both of those are pre-labels), or the
/// majority consensus of several annotators' independent work.
public enum LabelSource: String, Codable, CaseIterable, Sendable {
    case manual
    case imported
    case model
    case consensus

    /// Labels a person did not draw in this task, offered as a starting point.
    public var isPreLabel: Bool { self == .imported || self == .model }
}
