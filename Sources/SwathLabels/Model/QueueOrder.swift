/// Which open tasks a claim serves first: the highest `priority` (a manager's), or the highest
/// model `uncertainty` (active learning: the tasks the model knows least about are labelled first).
/// Either way the claim picks at random among equals, so nobody chooses their tile.
public enum QueueOrder: String, Codable, Sendable, CaseIterable {
    case priority
    case uncertainty

    /// The task column the stores order by: a constant of ours, never input.
    var column: String {
        switch self {
        case .priority: return "priority"
        case .uncertainty: return "uncertainty_rank"
        }
    }
}
