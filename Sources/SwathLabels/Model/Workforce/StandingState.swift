/// Where an annotator stands in a project that requires qualification:
/// applicant (works qualification tasks only) → qualified; paused by gold
/// accuracy (until reinstated) or removed (failed the last attempt, or by a manager).
public enum StandingState: String, Codable, CaseIterable, Sendable {
    case applicant
    case qualified
    case paused
    case removed
}
