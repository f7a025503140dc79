import Foundation
import SwathGeo

/// One append-only line of the audit trail: who did what to which object,
/// when, with the state before and after.
public struct AuditEvent: Codable, Equatable, Sendable {
    public var id: Int64
    public var projectId: ProjectID?
    /// nil for the system (lease expiry).
    public var actorId: UserID?
    public var action: String
    public var entity: String
    public var entityId: Int64
    public var before: JSONValue?
    public var after: JSONValue?
    public var at: Date
}
