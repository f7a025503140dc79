/// What a member may do in a project. Admins are global, not a project role.
public enum Role: String, Codable, CaseIterable, Sendable {
    /// Runs the project: scenes, members, customer details, imports.
    case manager
    /// Claims tasks and draws labels.
    case annotator
    /// Accepts or rejects submitted tasks.
    case reviewer
    /// Reads accepted labels and exports.
    case trainer

    /// Roles that may see the customer's name: the workforce sees only the codename.
    public var seesCustomer: Bool { self == .manager }
}
