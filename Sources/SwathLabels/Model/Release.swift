import Foundation

public typealias ReleaseID = Int64

/// A frozen dataset of a project: what `swath release create` (or a manager
/// over HTTP) froze, by name. Its document (labels, chips, splits, options,
/// scene identities) never changes; this is what lists show of it.
public struct Release: Equatable, Sendable {
    public var id: ReleaseID
    public var projectId: ProjectID
    public var name: String
    public var createdBy: UserID?
    public var createdAt: Date
    public var labelCount: Int
    public var chipCount: Int
    /// SHA-256 of the document: two releases with the same digest froze the same dataset.
    public var digest: String

    public init(id: ReleaseID, projectId: ProjectID, name: String, createdBy: UserID?, createdAt: Date, labelCount: Int,
                chipCount: Int, digest: String) {
        self.id = id
        self.projectId = projectId
        self.name = name
        self.createdBy = createdBy
        self.createdAt = createdAt
        self.labelCount = labelCount
        self.chipCount = chipCount
        self.digest = digest
    }
}
