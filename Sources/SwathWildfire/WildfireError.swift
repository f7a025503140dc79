/// Why a feature extraction cannot run, naming the input and the reason.
public struct WildfireError: Error, Equatable, Sendable, CustomStringConvertible {
    public let description: String

    public init(_ description: String) {
        self.description = description
    }
}
