import Foundation

public typealias ProjectID = Int64

/// A customer's labeling project. The customer's name is private: the
/// workforce knows the project by its codename only.
public struct Project: Codable, Equatable, Sendable {
    public var id: ProjectID
    public var customer: String
    public var codename: String
    public var taxonomy: Taxonomy
    public var settings: ProjectSettings
    public var createdAt: Date

    public init(id: ProjectID, customer: String, codename: String, taxonomy: Taxonomy, settings: ProjectSettings, createdAt: Date) {
        self.id = id
        self.customer = customer
        self.codename = codename
        self.taxonomy = taxonomy
        self.settings = settings
        self.createdAt = createdAt
    }
}
