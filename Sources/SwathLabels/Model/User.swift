import Foundation

public typealias UserID = Int64

/// A person or a script with a bearer token.
public struct User: Codable, Equatable, Sendable {
    public var id: UserID
    public var name: String
    public var isAdmin: Bool
    public var createdAt: Date

    public init(id: UserID, name: String, isAdmin: Bool, createdAt: Date) {
        self.id = id
        self.name = name
        self.isAdmin = isAdmin
        self.createdAt = createdAt
    }
}

extension User {
    /// Whoever runs `swath admin …` / `swath ingest` / `swath import` on the
    /// server machine: they hold the database file, so they act as an admin.
    /// Audit events record no user id for them.
    public static let commandLine = User(id: 0, name: "command line", isAdmin: true, createdAt: Date(timeIntervalSince1970: 0))

    /// The id to write into audit events and authorship columns.
    public var auditId: UserID? { id == 0 ? nil : id }
}
