import Foundation

public typealias CohortID = Int64

/// A group of annotators (a vendor, a team, a region). Managers see only the
/// codename; the vendor's name, when kept, is for admins.
public struct Cohort: Codable, Equatable, Sendable {
    public var id: CohortID
    public var codename: String
    public var vendor: String?
    public var createdAt: Date
}
