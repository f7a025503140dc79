extension Store {
    /// What `userId` handed in on a task; nil when they submitted nothing there.
    /// Made from the store's own reads (the rule is `QueueRules.isSubmission`),
    /// so every store answers it the same way.
    public func submission(taskId: TaskID, userId: UserID) async throws -> Submission? {
        guard let task = try await task(id: taskId) else { return nil }
        let isTurn = try await assignments(taskId: taskId).contains { $0.userId == userId && $0.status == .submitted }
        guard QueueRules.isSubmission(of: userId, task: task, isTurn: isTurn) else { return nil }
        let labels = try await labels(taskId: taskId, privateTo: isTurn ? userId : nil)
        return Submission(userId: userId, taskId: taskId, sceneId: task.sceneId, labels: labels, isTurn: isTurn)
    }
}
