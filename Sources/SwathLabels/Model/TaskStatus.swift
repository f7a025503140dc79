/// A task's place in the queue: open → in_progress → submitted → accepted,
/// or rejected, which returns it to open.
public enum TaskStatus: String, Codable, CaseIterable, Sendable {
    case open
    case inProgress = "in_progress"
    case submitted
    case accepted
    case rejected
}
