/// Precision, recall and F1 of one class over held-out pixels.
public struct ClassMetrics: Codable, Equatable, Sendable {
    public var classId: Int
    public var name: String
    /// Held-out pixels of this class (the reference).
    public var support: Int
    public var precision: Double
    public var recall: Double
    public var f1: Double
}
