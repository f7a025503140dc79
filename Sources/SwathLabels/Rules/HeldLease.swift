/// The caller's live lease on a task: on the task itself (k = 1) or on their
/// own turn (consensus and gold tasks).
struct HeldLease {
    /// The task as stored.
    var task: LabelTask
    /// The caller's turn, when the task is worked by several annotators.
    var turn: Assignment?
    /// What the caller sees.
    var view: LabelTask { turn?.view(of: task) ?? task }
}
