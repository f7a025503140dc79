import Foundation

/// A change-point in one annotator's quality: a one-sided CUSUM over their
/// tasks in order, each scored 0…1 (agreement with co-annotators or the gold
/// F1, and 0 for a task their work was flagged on). The baseline is the mean
/// of their first tasks, so a sleeper who did well for weeks is measured
/// against their own best; `slack` absorbs an honest annotator's ups and
/// downs, and the alarm needs the shortfall to add up past `threshold`.
/// Scores arrive late (a consensus waits for its k-th annotator, a flag does
/// not), so a series can begin with the bad tasks: a baseline under `floor`
/// is not the annotator's own, and the floor stands in for it from the first task.
public struct QualityShift: Sendable {
    /// Tasks that set the baseline.
    public var baselineTasks = 4
    /// Shortfall per task below the baseline that is ignored (CUSUM's k).
    public var slack = 0.25
    /// Accumulated shortfall that raises the alarm (CUSUM's h).
    public var threshold = 2.5
    /// The least baseline: what an honest annotator scores on a typical task.
    public var floor = 0.7

    public struct Detection: Sendable, Equatable {
        /// Index into the series of the task that raised the alarm.
        public var index: Int
        /// Index of the first task of the run that added up to it (where the shift began).
        public var start: Int
        public var baseline: Double
        /// Mean score from `start` through `index`.
        public var shiftedMean: Double
        public var statistic: Double
    }

    public init() {}

    /// The first alarm in `scores` (oldest first); nil while the series holds steady.
    public func detect(_ scores: [Double]) -> Detection? {
        guard let (baseline, first) = baseline(scores) else { return nil }
        var statistic = 0.0, start = first
        for index in first..<scores.count {
            if statistic == 0 { start = index }
            statistic = max(0, statistic + baseline - scores[index] - slack)
            if statistic == 0 { start = index + 1 }
            if statistic > threshold {
                let run = scores[start...index]
                return Detection(index: index, start: start, baseline: baseline, shiftedMean: run.reduce(0, +) / Double(run.count),
                                 statistic: statistic)
            }
        }
        return nil
    }

    /// How far along the alarm the latest task stands (0 steady, 1 at the alarm): what adaptive gold follows.
    public func pressure(_ scores: [Double]) -> Double {
        guard let (baseline, first) = baseline(scores) else { return 0 }
        var statistic = 0.0
        for score in scores[first...] { statistic = max(0, statistic + baseline - score - slack) }
        return min(1, statistic / threshold)
    }

    /// The baseline and the first task measured against it; nil while too short to tell.
    private func baseline(_ scores: [Double]) -> (Double, Int)? {
        guard scores.count > baselineTasks else { return nil }
        let own = scores.prefix(baselineTasks).reduce(0, +) / Double(baselineTasks)
        return own >= floor ? (own, baselineTasks) : (floor, 0)
    }
}
