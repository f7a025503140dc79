/// Why a geometry was refused, in words an analyst can act on.
public struct GeometryProblem: Error, Equatable, Sendable, CustomStringConvertible {
    public var reason: String

    public init(_ reason: String) {
        self.reason = reason
    }

    public var description: String { reason }
}
