/// What a job does.
public enum JobKind: String, Codable, Sendable, CaseIterable {
    /// Training chips of a project (`swath export`).
    case export
    /// Overviews for a scene registered over HTTP, in the servers' overview folder.
    case overviews
    /// A scene's wildfire feature stacks (`swath wildfire`, without a DEM).
    case wildfire
    /// A project's wildfire-spread dataset (`swath spread-dataset`).
    case spread
}
