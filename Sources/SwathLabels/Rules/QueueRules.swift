import SwathGeo
import Foundation

/// The labeling rules both stores apply inside their transactions: who holds
/// a lease, who may review, when a task may become gold, when gold results
/// pause an annotator, when settings may change, how label versions move on.
/// The stores fetch the facts (rows, counts) and perform the writes; the
/// decisions are made here once, so SQLite and PostgreSQL cannot drift apart.
enum QueueRules {
    /// The caller's live lease, from the task and the caller's live turn on it;
    /// a conflict saying why not.
    static func lease(task: LabelTask, liveTurn: Assignment?, userId: UserID, at: Date) throws -> HeldLease {
        if let turn = liveTurn {
            guard let expires = turn.leaseExpiresAt, expires > at else {
                throw LabelingError.conflict("the lease on task \(task.id) expired; claim it again")
            }
            return HeldLease(task: task, turn: turn)
        }
        guard task.isLeased(to: userId, at: at) else {
            if task.status == .inProgress, task.assigneeId == userId {
                throw LabelingError.conflict("the lease on task \(task.id) expired; claim it again")
            }
            throw LabelingError.conflict("task \(task.id) is \(task.status.rawValue) and not leased to you")
        }
        return HeldLease(task: task, turn: nil)
    }

    /// Whether a user handed in work on a task: a submitted turn of theirs, or
    /// the task itself (k = 1) submitted by them, accepted or awaiting review.
    static func isSubmission(of userId: UserID, task: LabelTask, isTurn: Bool) -> Bool {
        isTurn || (task.assigneeId == userId && [.submitted, .accepted].contains(task.status))
    }

    /// Only submitted work is reviewed, and never by anyone who handed it in.
    static func checkReviewable(_ task: LabelTask, reviewerId: UserID, submitters: [UserID]) throws {
        guard task.status == .submitted else {
            throw LabelingError.conflict("task \(task.id) is \(task.status.rawValue); only submitted tasks can be reviewed")
        }
        guard task.assigneeId != reviewerId, !submitters.contains(reviewerId) else {
            throw LabelingError.conflict("task \(task.id) was submitted by you; another reviewer must review it")
        }
    }

    /// A task becomes gold only while nobody has worked on it (a gold task's reference may be replaced).
    static func checkCanBecomeGold(_ task: LabelTask, isGold: Bool, turnsTaken: Int) throws {
        guard isGold || (task.status == .open && turnsTaken == 0) else {
            throw LabelingError.conflict("task \(task.id) is \(turnsTaken > 0 ? "being worked by annotators" : task.status.rawValue); "
                                         + "only a task nobody has worked on can become gold")
        }
    }

    /// Why an annotator is paused, given their latest gold F1 scores (newest
    /// first, since their last reinstatement); nil when they may go on.
    static func pauseReason(recentF1: [Double], policy: GoldPolicy) -> String? {
        guard recentF1.count >= policy.minimum, !recentF1.isEmpty else { return nil }
        let mean = recentF1.reduce(0, +) / Double(recentF1.count)
        guard mean < policy.accuracyThreshold else { return nil }
        return String(format: "mean F1 %.2f over the last %d gold tasks, under %.2f", mean, recentF1.count, policy.accuracyThreshold)
    }

    /// The tile grid is fixed once scenes are cut into tasks.
    static func checkSettingsChange(projectId: ProjectID, from current: ProjectSettings, to new: ProjectSettings, sceneCount: Int) throws {
        if sceneCount > 0, new.tileSize != current.tileSize || new.overlap != current.overlap {
            throw LabelingError.conflict("tileSize and overlap are fixed once scenes are cut into tasks (project \(projectId) has \(sceneCount))")
        }
    }

    /// Each saved label's version: one more than the label it replaces when
    /// that is one of the task's current labels the caller may edit, else 1
    /// (a `previousId` from elsewhere is dropped, never trusted).
    static func versioned(_ drafts: [LabelDraft], editable versions: [LabelID: Int]) -> [(draft: LabelDraft, version: Int)] {
        drafts.map { draft in
            var draft = draft
            if let previousId = draft.previousId, versions[previousId] == nil { draft.previousId = nil }
            let version = draft.previousId.flatMap { versions[$0] }.map { $0 + 1 } ?? 1
            return (draft, version)
        }
    }

    /// A task's queue state, for audit before/after.
    static func snapshot(_ task: LabelTask) -> JSONValue {
        .object([
            "status": .string(task.status.rawValue),
            "assigneeId": task.assigneeId.map { .number(Double($0)) } ?? .null,
            "leaseExpiresAt": task.leaseExpiresAt.map { .number($0.timeIntervalSince1970) } ?? .null,
        ])
    }

    /// An uncertainty (0…1) as the queue ranks it: in hundredths, so tasks within a hundredth of
    /// each other are equals and claims pick among them at random.
    static func uncertaintyRank(_ uncertainty: Double) -> Int {
        guard uncertainty.isFinite else { return -1 }
        return Int((min(max(uncertainty, 0), 1) * 100).rounded())
    }

    /// The seconds a submission took, by the server's clock from the claim (0 when the claim time is unknown).
    static func secondsOnTask(claimedAt: Date?, submittedAt: Date) -> Double {
        claimedAt.map { max(submittedAt.timeIntervalSince($0), 0) } ?? 0
    }
}
