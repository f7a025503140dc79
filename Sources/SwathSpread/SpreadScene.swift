/// A dated scene as a spread dataset reads it for spectral inputs: where its raster is, which band is
/// which (`red`, `nir`, `swir1`, `swir2`), and its cell size in the dataset's CRS units.
public struct SpreadScene: Sendable {
    public var id: Int64
    public var uri: String
    public var bandRoles: [String: Int]

    public init(id: Int64, uri: String, bandRoles: [String: Int]) {
        (self.id, self.uri, self.bandRoles) = (id, uri, bandRoles)
    }
}
