import Foundation
import SwathGeo

/// Whose accepted work a remediation redoes: annotators named or in a cohort
/// (at least one of the two), optionally narrowed to tasks flagged with one
/// kind and to work handed in within [from, to).
public struct RemediationSelection: Codable, Equatable, Sendable {
    public var annotators: [UserID]
    public var cohortId: CohortID?
    public var flagKind: String?
    public var from: Date?
    public var to: Date?

    public init(annotators: [UserID] = [], cohortId: CohortID? = nil, flagKind: String? = nil, from: Date? = nil, to: Date? = nil) {
        self.annotators = annotators
        self.cohortId = cohortId
        self.flagKind = flagKind
        self.from = from
        self.to = to
    }

    /// Every field may be left out (an empty selection is refused by the service, naming it).
    public init(from decoder: any Decoder) throws {
        let values = try decoder.container(keyedBy: CodingKeys.self)
        annotators = (try values.decodeWholesIfPresent(forKey: .annotators) ?? []).map(UserID.init)
        cohortId = try values.decodeWholeIfPresent(forKey: .cohortId).map(CohortID.init)
        flagKind = try values.decodeIfPresent(String.self, forKey: .flagKind)
        from = try values.decodeIfPresent(Date.self, forKey: .from)
        to = try values.decodeIfPresent(Date.self, forKey: .to)
    }
}
