import Foundation
import SwathQuality

/// One annotator's tasks in the order they handed them in, each scored 0…1
/// for the change-point check: 0 where their work was flagged, else their
/// pooled F1 with the co-annotator they agree with best, else their gold F1. A
/// task not yet scored (its consensus still waits for others) is left out.
struct QualitySeries {
    var taskIds: [TaskID] = []
    var scores: [Double] = []

    init(_ history: AnnotatorHistory, userId: UserID) {
        let flagged = Set(history.flags.filter { $0.kind != .qualityShift }.compactMap(\.taskId))
        // Agreement with a co-annotator who was flagged on the task, or caught deceiving, says nothing about this one.
        let trusted = history.pairs.filter { pair in
            let other = pair.firstUser == userId ? pair.secondUser : pair.firstUser
            return !history.distrusted.contains(other) && !history.flaggedOnTask.contains([pair.taskId, other])
        }
        let agreements = Dictionary(grouping: trusted, by: \.taskId).mapValues { QualityReport.pooledPerTaskPair($0) }
        let gold = Set(history.gold.map(\.taskId))
        for turn in history.turns where !gold.contains(turn.taskId) {
            let score: Double?
            if flagged.contains(turn.taskId) {
                score = 0
            } else {
                // The best co-annotator: an honest annotator agrees with at least one other honest one,
                // whoever else drew the task.
                score = agreements[turn.taskId]?.max()
            }
            guard let score else { continue }
            taskIds.append(turn.taskId)
            scores.append(score)
        }
    }
}
