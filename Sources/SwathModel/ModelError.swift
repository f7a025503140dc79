/// Why a pixel classifier could not be trained or applied; one line naming the input and the reason.
public struct ModelError: Error, Equatable, Sendable, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
