import Foundation

/// A scene as the extractor reads it: the file and which band is which.
public struct SceneInput: Sendable {
    public var path: String
    /// Band roles given at ingest: red, nir, swir1, swir2, …
    public var bandRoles: [String: Int]
    /// Named in messages ("scene 3").
    public var label: String
    /// Acquisition time: the "now" of time since burn.
    public var acquiredAt: Date?

    public init(path: String, bandRoles: [String: Int], label: String, acquiredAt: Date? = nil) {
        self.path = path
        self.bandRoles = bandRoles
        self.label = label
        self.acquiredAt = acquiredAt
    }
}
