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
}
