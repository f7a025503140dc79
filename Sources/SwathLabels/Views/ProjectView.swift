import Foundation

/// A project as one caller may see it: the customer's name only for admins
/// and the project's managers, never for the workforce.
public struct ProjectView: Encodable, Sendable {
    public var id: ProjectID
    public var codename: String
    public var customer: String?
    public var taxonomy: Taxonomy
    public var settings: ProjectSettings
    /// The caller's own roles here.
    public var roles: [Role]
    public var createdAt: Date

    init(_ project: Project, access: ProjectAccess) {
        id = project.id
        codename = project.codename
        customer = access.seesCustomer ? project.customer : nil
        taxonomy = project.taxonomy
        settings = project.settings
        roles = access.roles.sorted { $0.rawValue < $1.rawValue }
        createdAt = project.createdAt
    }

    enum CodingKeys: String, CodingKey { case id, codename, customer, taxonomy, settings, roles, createdAt }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(codename, forKey: .codename)
        try container.encodeIfPresent(customer, forKey: .customer)  // absent, not null, for the workforce
        try container.encode(taxonomy, forKey: .taxonomy)
        try container.encode(settings, forKey: .settings)
        try container.encode(roles, forKey: .roles)
        try container.encode(createdAt, forKey: .createdAt)
    }
}
