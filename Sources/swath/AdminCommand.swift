import ArgumentParser
import Foundation
import SwathLabels

/// Administration on the server machine, for scripts: whoever holds the
/// database file acts as an admin.
struct AdminCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "admin",
        abstract: "Create users and projects, add members, revoke tokens, register reference layers, move a database to PostgreSQL; cohorts, payroll, payouts, remediation.",
        subcommands: [CreateUser.self, CreateProject.self, AddMember.self, RevokeTokens.self, AddReference.self, MigrateDatabase.self,
                      CreateCohort.self, SetCohort.self, Payroll.self, ClosePayout.self, Remediate.self]
    )

    struct CreateUser: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "create-user", abstract: "Create a user; prints its token once.")
        @OptionGroup var database: DatabaseOption
        @Option(help: "The user's name.") var name: String
        @Flag(help: "Make the user a global admin.") var admin = false

        func run() async throws {
            let (user, token) = try await database.service().createUser(name: name, isAdmin: admin, by: .commandLine)
            try printJSON(CreatedUserOutput(id: user.id, name: user.name, admin: user.isAdmin, token: token))
        }
    }

    struct CreateProject: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "create-project", abstract: "Create a project.")
        @OptionGroup var database: DatabaseOption
        @Option(help: "The customer's name (private: managers only).") var customer: String
        @Option(help: "The codename the workforce sees.") var codename: String
        @Option(help: "A JSON file with the taxonomy ({\"classes\": [...]}); the standard one when omitted.") var taxonomy: String?
        @Option(help: "Task tile size in pixels.") var tileSize = 512
        @Option(help: "Task tile overlap in pixels.") var overlap = 0
        @Option(help: "Lease length in seconds.") var leaseSeconds = 1800
        @Option(help: "Annotators per task.") var labelsPerTask = 1

        func run() async throws {
            var classes = Taxonomy.standard
            if let taxonomy {
                do {
                    classes = try JSONDecoder().decode(Taxonomy.self, from: Data(contentsOf: URL(fileURLWithPath: taxonomy)))
                } catch {
                    throw LabelingError.invalid("\(taxonomy): not a taxonomy JSON file ({\"classes\": [{id, name, group, color}]}): \(error)")
                }
            }
            let settings = ProjectSettings(tileSize: tileSize, overlap: overlap, leaseSeconds: leaseSeconds, labelsPerTask: labelsPerTask)
            let draft = ProjectDraft(customer: customer, codename: codename, taxonomy: classes, settings: settings)
            try printJSON(try await database.service().createProject(draft, by: .commandLine))
        }
    }

    struct AddMember: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "add-member", abstract: "Give a user a role in a project.")
        @OptionGroup var database: DatabaseOption
        @Option(help: "Project id.") var project: Int64
        @Option(help: "User id.") var user: Int64
        @Option(help: "manager, annotator, reviewer or trainer.") var role: String

        func run() async throws {
            guard let role = Role(rawValue: role) else {
                throw LabelingError.invalid("--role: '\(role)' is not one of \(Role.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            try await database.service().addMember(projectId: project, userId: user, role: role, by: .commandLine)
            print("user \(user) is now \(role.rawValue) of project \(project)")
        }
    }

    struct RevokeTokens: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "revoke-tokens", abstract: "Revoke every token of a user.")
        @OptionGroup var database: DatabaseOption
        @Option(help: "User id.") var user: Int64

        func run() async throws {
            try await database.service().revokeTokens(userId: user, by: .commandLine)
            print("revoked the tokens of user \(user)")
        }
    }
}

extension AdminCommand {
    struct AddReference: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "add-reference",
            abstract: "Register a vector file (any format OGR reads, any CRS) as existing work submissions must not be pasted from.",
            discussion: "Polygons are kept in WGS84; a submitted outline that is one of them (IoU ≥ 0.9 after at most 4 px of shift, "
                + "every vertex within 0.25 px of one of its corners) is flagged copied_reference. A file that cannot be read, has no polygons, declares no CRS "
                + "or (for --project) covers none of the project's scenes is refused and nothing is stored."
        )
        @OptionGroup var database: DatabaseOption
        @Option(help: "Project id (the layer is checked in this project).") var project: Int64?
        @Flag(help: "Check the layer in every project.") var global = false
        @Option(help: "The name managers see in flags.") var name: String
        @Argument(help: "The vector file (GeoJSON, GeoPackage, Shapefile, FlatGeobuf…).") var file: String

        func validate() throws {
            guard (project != nil) != global else { throw ValidationError("say where the layer applies: --project P or --global, not both") }
        }

        func run() async throws {
            let registered = try await database.service().registerReferenceLayer(projectId: project, name: name, path: file, by: .commandLine)
            try printJSON(ReferenceOutput(id: registered.layer.id, name: registered.layer.name, features: registered.layer.featureCount,
                                          skipped: registered.skipped, scope: project == nil ? "global" : "project"))
        }
    }

    struct ReferenceOutput: Encodable {
        var id: Int64
        var name: String
        var features: Int
        var skipped: Int
        var scope: String
    }
}

/// What `swath admin create-user` prints: the token appears here once only.
struct CreatedUserOutput: Encodable {
    var id: Int64
    var name: String
    var admin: Bool
    var token: String
}
