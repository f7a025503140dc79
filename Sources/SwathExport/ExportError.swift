/// Why an export could not start or finish; each names what and why.
public enum ExportError: Error, Equatable, Sendable, CustomStringConvertible {
    case invalidOption(String, String)
    case output(path: String, reason: String)
    case scenesFailed([String])
    /// A release's scene file is not the one it recorded.
    case sceneChanged(String)

    public var description: String {
        switch self {
        case .invalidOption(let option, let reason): return "\(option): \(reason)"
        case .output(let path, let reason): return "\(path): \(reason)"
        case .scenesFailed(let problems): return "some scenes could not be exported: " + problems.joined(separator: "; ")
        case .sceneChanged(let reason): return reason
        }
    }
}
