/// A reason to doubt one piece of work, with the numbers behind it, for a
/// manager to weigh (never shown to the annotator).
public struct IntegrityFlag: Sendable, Equatable {
    public enum Kind: String, Sendable, CaseIterable {
        case copiedGeometry = "copied_geometry"
        case uneditedPrelabel = "unedited_prelabel"
        case implausibleSpeed = "implausible_speed"
        case collusion
        case displacedWork = "displaced_work"
        case degenerateWork = "degenerate_work"
        case machineMade = "machine_made"
        case copiedReference = "copied_reference"
        case qualityShift = "quality_shift"

        /// Evidence that work was passed off as the annotator's own (copied, generated, colluded) or that they
        /// stopped trying: unlike a bad day's flags, it follows the annotator beyond the task.
        public var isDeception: Bool {
            switch self {
            case .copiedGeometry, .copiedReference, .machineMade, .collusion, .qualityShift: return true
            case .uneditedPrelabel, .implausibleSpeed, .displacedWork, .degenerateWork: return false
            }
        }
    }

    public var kind: Kind
    /// What was measured, in words and numbers ("4.1 s for 38 vertices: 0.11 s per vertex, under 0.4").
    public var evidence: String

    public init(_ kind: Kind, _ evidence: String) {
        self.kind = kind
        self.evidence = evidence
    }
}
