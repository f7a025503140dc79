import Foundation

/// "The same class on every task": an annotator whose every submission uses
/// one class, when the rest of the project's work makes that unlikely.
/// If a share p of other annotators' submissions use only class c, n such
/// submissions in a row happen by chance with probability pⁿ; below
/// `chance` the run is flagged. An honest annotator on a project that
/// really is all one class is never flagged (p = 1).
public struct ClassMonotony: Sendable {
    /// Fewer submissions than this say nothing.
    public var minimumSubmissions = 8
    public var chance = 0.001

    public init() {}

    /// `mine`: the classes in each of the annotator's submissions (empty ones
    /// left out); `others`: the same for everyone else in the project.
    public func check(mine: [Set<Int>], others: [Set<Int>]) -> IntegrityFlag? {
        guard mine.count >= minimumSubmissions, let only = mine.first, only.count == 1,
              mine.allSatisfy({ $0 == only }), !others.isEmpty else { return nil }
        let share = Double(others.filter { $0 == only }.count) / Double(others.count)
        let probability = pow(share, Double(mine.count))
        guard probability < chance else { return nil }
        return IntegrityFlag(.degenerateWork, String(format: "class %d on all %d submitted tasks; %.0f%% of other annotators' tasks "
                                                      + "use only that class, so the chance of this run is %.1e",
                                                      only.first!, mine.count, share * 100, probability))
    }
}
