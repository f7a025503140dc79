import SwathGeo
import SwathLabels

struct StandingChange: Decodable {
    var state: StandingState
    var reason: String?
}

struct QualificationMark: Decodable {
    var qualification: Bool
}

/// A pay period by days (yyyy-MM-dd, both included).
struct PeriodRequest: Decodable {
    var from: String
    var to: String
}

struct CreateCohortRequest: Decodable {
    var codename: String
    var vendor: String?
}

/// `cohortId` null takes the user out of every cohort.
struct CohortPlacement: Decodable {
    var cohortId: CohortID?

    enum CodingKeys: String, CodingKey { case cohortId }

    init(from decoder: any Decoder) throws {
        let values = try decoder.container(keyedBy: CodingKeys.self)
        guard values.contains(.cohortId) else {
            throw DecodingError.keyNotFound(CodingKeys.cohortId, .init(codingPath: [], debugDescription: "cohortId is required (null for none)"))
        }
        cohortId = try values.decodeWholeIfPresent(forKey: .cohortId).map(CohortID.init)
    }
}
