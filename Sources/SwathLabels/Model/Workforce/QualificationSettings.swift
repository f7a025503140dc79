import SwathGeo

/// A project's qualification test: before any real task an annotator works
/// `tasksPerAttempt` qualification tasks (gold tasks marked for it) and passes
/// when their mean F1 over the attempt reaches `threshold`; `attempts` tries.
public struct QualificationSettings: Codable, Equatable, Sendable {
    public var tasksPerAttempt: Int
    public var threshold: Double
    public var attempts: Int

    public init(tasksPerAttempt: Int = 3, threshold: Double = 0.7, attempts: Int = 2) {
        self.tasksPerAttempt = tasksPerAttempt
        self.threshold = threshold
        self.attempts = attempts
    }

    /// Fields left out take their defaults.
    public init(from decoder: any Decoder) throws {
        let values = try decoder.container(keyedBy: CodingKeys.self)
        let defaults = QualificationSettings()
        tasksPerAttempt = try values.decodeWholeIfPresent(forKey: .tasksPerAttempt) ?? defaults.tasksPerAttempt
        threshold = try values.decodeIfPresent(Double.self, forKey: .threshold) ?? defaults.threshold
        attempts = try values.decodeWholeIfPresent(forKey: .attempts) ?? defaults.attempts
    }

    /// Why these settings cannot be used, naming the field; nil when they can.
    public var problem: String? {
        guard (1...50).contains(tasksPerAttempt) else {
            return "qualification.tasksPerAttempt must be 1…50, got \(tasksPerAttempt)"
        }
        guard threshold.isFinite, (0...1).contains(threshold) else {
            return "qualification.threshold must be between 0 and 1, got \(threshold)"
        }
        guard (1...10).contains(attempts) else { return "qualification.attempts must be 1…10, got \(attempts)" }
        return nil
    }
}
