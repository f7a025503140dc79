import Foundation

/// Cohorts are global (a vendor works across projects): admins make them and
/// put annotators in them; managers see them by codename in reports.
extension LabelingService {
    public func createCohort(codename: String, vendor: String?, by caller: User) async throws -> Cohort {
        try authorizeAdmin(caller, to: "creating cohorts")
        let name = codename.trimmingCharacters(in: .whitespacesAndNewlines)
        guard (1...64).contains(name.count), name.unicodeScalars.allSatisfy({ CharacterSet.alphanumerics.contains($0) || "-_ ".unicodeScalars.contains($0) })
        else { throw LabelingError.invalid("codename must be 1…64 letters, digits, spaces, '-' or '_'") }
        if let vendor, vendor.count > 200 { throw LabelingError.invalid("vendor is longer than 200 characters") }
        return try await store.createCohort(codename: name, vendor: vendor, actor: caller.auditId, at: now())
    }

    public func cohorts(by caller: User) async throws -> [Cohort] {
        try authorizeAdmin(caller, to: "listing cohorts")
        return try await store.cohorts()
    }

    /// Puts a user in a cohort (nil: in none).
    public func setCohort(userId: UserID, cohortId: CohortID?, by caller: User) async throws {
        try authorizeAdmin(caller, to: "placing annotators in cohorts")
        try await store.setCohort(userId: userId, cohortId: cohortId, actor: caller.auditId, at: now())
    }
}
