/// A search parameter STAC clients sent wrong: a 400 naming it.
public struct StacError: Error, Equatable, Sendable, CustomStringConvertible {
    public var parameter: String
    public var reason: String

    public init(parameter: String, reason: String) {
        self.parameter = parameter
        self.reason = reason
    }

    public var description: String { "\(parameter): \(reason)" }
}
