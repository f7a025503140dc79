/// What went wrong with a request to the labeling service, shaped so the
/// HTTP layer can map it to a status without knowing the domain.
public enum LabelingError: Error, Equatable, Sendable, CustomStringConvertible {
    /// No valid credentials.
    case unauthenticated(String)
    /// Authenticated but without the role needed.
    case forbidden(String)
    /// Missing, or hidden from the caller (another project's object).
    case notFound(String)
    /// The request is well-formed but clashes with the current state (lease lost, wrong status).
    case conflict(String)
    /// A value is not acceptable.
    case invalid(String)
    /// One or more label features were refused; each with its reason.
    case invalidFeatures([FeatureProblem])
    /// The server is at a bound it keeps (renders in flight): ask again after the given seconds.
    case busy(String, retryAfterSeconds: Int)
    /// The caller has as much waiting as one may (queued exports): ask again after the given seconds.
    case tooMany(String, retryAfterSeconds: Int)

    public var description: String {
        switch self {
        case .unauthenticated(let reason), .forbidden(let reason), .notFound(let reason),
             .conflict(let reason), .invalid(let reason):
            return reason
        case .invalidFeatures(let problems):
            return problems.map { "feature \($0.index): \($0.reason)" }.joined(separator: "; ")
        case .busy(let reason, _), .tooMany(let reason, _):
            return reason
        }
    }
}

/// Why feature `index` (0-based, in the order sent) was refused.
public struct FeatureProblem: Codable, Equatable, Sendable {
    public var index: Int
    public var id: String?
    public var reason: String

    public init(index: Int, id: String?, reason: String) {
        self.index = index
        self.id = id
        self.reason = reason
    }
}
