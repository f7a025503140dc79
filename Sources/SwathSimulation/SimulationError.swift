/// A simulation that cannot run as asked, with the reason.
public struct SimulationError: Error, CustomStringConvertible, Sendable {
    public let description: String

    public init(_ description: String) {
        self.description = description
    }
}
