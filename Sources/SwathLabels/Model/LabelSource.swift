/// Where a label came from: drawn by a person, imported from an existing
/// survey, or predicted by a model (both of the latter are pre-labels).
public enum LabelSource: String, Codable, CaseIterable, Sendable {
    case manual
    case imported
    case model
}
