import Foundation

public typealias ReferenceLayerID = Int64

/// A vector layer a manager registered as existing work (a public dataset, an
/// earlier delivery) that new labels must not be pasted from: for one project,
/// or for every project (`projectId` nil). Its features are kept in WGS84.
public struct ReferenceLayer: Equatable, Sendable {
    public var id: ReferenceLayerID
    public var projectId: ProjectID?
    /// The name managers see in flags (never the file's path).
    public var name: String
    public var featureCount: Int
    public var createdAt: Date

    public init(id: ReferenceLayerID, projectId: ProjectID?, name: String, featureCount: Int, createdAt: Date) {
        self.id = id
        self.projectId = projectId
        self.name = name
        self.featureCount = featureCount
        self.createdAt = createdAt
    }
}
