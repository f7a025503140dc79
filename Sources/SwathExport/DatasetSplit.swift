/// Which part of the training set a chip belongs to.
public enum DatasetSplit: String, Codable, CaseIterable, Sendable {
    case train
    case validation
    case test
}
