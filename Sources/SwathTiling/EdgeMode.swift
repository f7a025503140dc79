/// What to do with tiles that run past the right or bottom edge of the scene.
public enum EdgeMode: String, CaseIterable, Sendable, Codable {
    /// Full-size tiles; pixels past the edge hold nodata.
    case pad
    /// Edge tiles are cut to the pixels that exist.
    case shrink
    /// Edge tiles are not written.
    case drop
}
