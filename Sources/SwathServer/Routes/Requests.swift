import SwathLabels

/// Request bodies, decoded strictly: a missing or mistyped field is a 400.
struct CreateProjectRequest: Decodable {
    var customer: String
    var codename: String
    var taxonomy: Taxonomy?
    var tileSize: Int?
    var overlap: Int?
    var leaseSeconds: Int?
    var labelsPerTask: Int?

    var draft: ProjectDraft {
        let defaults = ProjectSettings()
        let settings = ProjectSettings(tileSize: tileSize ?? defaults.tileSize, overlap: overlap ?? defaults.overlap,
                                       leaseSeconds: leaseSeconds ?? defaults.leaseSeconds,
                                       labelsPerTask: labelsPerTask ?? defaults.labelsPerTask)
        return ProjectDraft(customer: customer, codename: codename, taxonomy: taxonomy ?? .standard, settings: settings)
    }
}

struct CreateUserRequest: Decodable {
    var name: String
    var admin: Bool?
}

struct CreatedUser: Encodable {
    var id: UserID
    var name: String
    var admin: Bool
    /// Shown once; only its hash is kept.
    var token: String
}

struct IssuedToken: Encodable {
    var userId: UserID
    var token: String
}

struct AddMemberRequest: Decodable {
    var userId: UserID
    var role: Role
}

struct ReviewRequest: Decodable {
    var decision: ReviewDecision
    var comment: String?
}

struct Me: Encodable {
    var id: UserID
    var name: String
    var admin: Bool
    var projects: [ProjectView]
}
