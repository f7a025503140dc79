import Foundation
import SwathQuality

/// Sleepers: annotators who work well at first (and on gold) and then stop
/// trying. After each of their submissions and each consensus they vote in,
/// their series of task scores is checked for a change-point; a drift
/// towards one raises their gold rate (adaptive gold), the change-point
/// itself is a `quality_shift` flag.
extension LabelingService {
    func checkQualityShift(projectId: ProjectID, userId: UserID, settings: ProjectSettings) async throws {
        let series = QualitySeries(try await store.annotatorHistory(projectId: projectId, userId: userId), userId: userId)
        let shift = QualityShift()
        if let found = shift.detect(series.scores) {
            let evidence = String(format: "quality fell from %.2f over the first %d tasks to %.2f over %d tasks from task %lld "
                                    + "(CUSUM %.2f past %.2f, %.2f slack per task)",
                                  found.baseline, shift.baselineTasks, found.shiftedMean, found.index - found.start + 1,
                                  series.taskIds[found.start], found.statistic, shift.threshold, shift.slack)
            try await store.recordChecks(flags: [FlagDraft(projectId: projectId, userId: userId, taskId: series.taskIds[found.index],
                                                           flag: IntegrityFlag(.qualityShift, evidence), onceKey: "quality_shift")],
                                         fingerprints: [], at: now())
        }
        guard settings.goldRate > 0 else { return }
        let pressure = slipping(shift, series)
        let wanted = pressure > 0 ? settings.goldRate + pressure * (settings.goldRateCeiling - settings.goldRate) : nil
        let current = try await store.adaptiveGoldRate(projectId: projectId, userId: userId)
        if wanted != current, !(wanted.map { abs($0 - (current ?? -1)) < 0.01 } ?? false) {
            try await store.setAdaptiveGoldRate(projectId: projectId, userId: userId, rate: wanted, at: now())
        }
    }

    /// Pressure towards a change-point, held at 1 once one is found.
    private func slipping(_ shift: QualityShift, _ series: QualitySeries) -> Double {
        shift.detect(series.scores) != nil ? 1 : shift.pressure(series.scores)
    }
}
