import Foundation

/// One version of a label in its history: the row as saved, and when a later save replaced it.
public struct LabelVersion: Equatable, Sendable {
    public var label: Label
    /// nil while it is the current version.
    public var supersededAt: Date?

    public init(label: Label, supersededAt: Date?) {
        self.label = label
        self.supersededAt = supersededAt
    }
}
