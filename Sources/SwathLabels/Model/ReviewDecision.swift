public enum ReviewDecision: String, Codable, Sendable {
    case accept
    case reject
}
