/// A scene as the extractor reads it: the file and which band is which.
public struct SceneInput: Sendable {
    public var path: String
    /// Band roles given at ingest: red, nir, swir1, swir2, …
    public var bandRoles: [String: Int]
    /// Named in messages ("scene 3").
    public var label: String

    public init(path: String, bandRoles: [String: Int], label: String) {
        self.path = path
        self.bandRoles = bandRoles
        self.label = label
    }
}
