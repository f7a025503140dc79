import Foundation

/// A release as its readers see it (no document: that is fetched on its own).
public struct ReleaseView: Encodable, Sendable, Equatable {
    public var id: ReleaseID
    public var projectId: ProjectID
    public var name: String
    public var createdAt: Date
    public var labelCount: Int
    public var chipCount: Int
    public var digest: String

    init(_ release: Release) {
        id = release.id
        projectId = release.projectId
        name = release.name
        createdAt = release.createdAt
        labelCount = release.labelCount
        chipCount = release.chipCount
        digest = release.digest
    }
}
