/// Why a spread dataset cannot be built, naming the input and the reason (a weather source, a role, the
/// project's fires); the command line prints it as one line and exits 1.
public struct SpreadError: Error, Equatable, Sendable, CustomStringConvertible {
    public let description: String

    public init(_ description: String) {
        self.description = description
    }
}
