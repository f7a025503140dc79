/// Why burn scars could not be drafted; one line naming what and why.
public struct BurnScarError: Error, Equatable, Sendable, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
