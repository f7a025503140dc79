import SwathLabels

/// What a burn-scar drafting did: the regions found and how they were saved.
public struct BurnScarReport: Encodable, Sendable {
    /// Severity regions left after the minimum mapping unit.
    public var regions: Int
    public var saved: ImportReport
}
