import ArgumentParser
import Foundation
import SwathLabels

/// Payroll, payouts, remediation and cohorts from the server machine.
extension AdminCommand {
    struct Payroll: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "payroll",
            abstract: "A project's pay for a period, per annotator and per cohort (amounts in minor units).",
            discussion: "Both days are included (UTC). Entries inside a closed payout are counted as paid.")
        @OptionGroup var database: DatabaseOption
        @Option(help: "Project id.") var project: Int64
        @Option(help: "First day, yyyy-MM-dd (UTC).") var from: String
        @Option(help: "Last day, yyyy-MM-dd (UTC), included.") var to: String
        @Option(help: "json or csv.") var format = "json"

        func run() async throws {
            guard ["json", "csv"].contains(format) else { throw ValidationError("--format must be json or csv, got '\(format)'") }
            let statement = try await database.service().payroll(projectId: project, period: try PayPeriod(from: from, to: to), by: .commandLine)
            if format == "csv" { print(statement.csv, terminator: "") } else { try printJSON(statement) }
        }
    }

    struct ClosePayout: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "payout",
            abstract: "Close a pay period: nothing dated in it changes afterwards.",
            discussion: "The period must have ended and must not overlap a closed one; both days are included (UTC).")
        @OptionGroup var database: DatabaseOption
        @Option(help: "Project id.") var project: Int64
        @Option(help: "First day, yyyy-MM-dd (UTC).") var from: String
        @Option(help: "Last day, yyyy-MM-dd (UTC), included.") var to: String

        func run() async throws {
            try printJSON(try await database.service().closePayout(projectId: project, period: try PayPeriod(from: from, to: to), by: .commandLine))
        }
    }

    struct Remediate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "remediate",
            abstract: "Reopen the accepted work of some annotators or a cohort for fresh annotators, reversing its unpaid pay.",
            discussion: "Narrow it with --flag-kind and a time range of when the work was handed in (ISO 8601). Prints exactly what it touched.")
        @OptionGroup var database: DatabaseOption
        @Option(help: "Project id.") var project: Int64
        @Option(name: .customLong("annotator"), help: "An annotator's user id (repeat for more).") var annotators: [Int64] = []
        @Option(help: "A cohort id.") var cohort: Int64?
        @Option(help: "Only tasks flagged with this kind.") var flagKind: String?
        @Option(help: "Work handed in at or after this time (ISO 8601).") var from: String?
        @Option(help: "Work handed in before this time (ISO 8601).") var to: String?

        func run() async throws {
            let selection = RemediationSelection(annotators: annotators, cohortId: cohort, flagKind: flagKind,
                                                 from: try from.map { try Self.time($0, "--from") }, to: try to.map { try Self.time($0, "--to") })
            try printJSON(try await database.service().remediate(projectId: project, selection: selection, by: .commandLine))
        }

        static func time(_ text: String, _ option: String) throws -> Date {
            if let date = ISO8601DateFormatter().date(from: text) ?? UTCDay.start(text) { return date }
            throw ValidationError("\(option) must be an ISO 8601 time (2026-11-01T00:00:00Z) or a day (2026-11-01), got '\(text)'")
        }
    }

    struct CreateCohort: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "create-cohort", abstract: "Create a cohort (a vendor, a team, a region).")
        @OptionGroup var database: DatabaseOption
        @Option(help: "The name managers see.") var codename: String
        @Option(help: "The vendor's real name (admins only).") var vendor: String?

        func run() async throws {
            try printJSON(try await database.service().createCohort(codename: codename, vendor: vendor, by: .commandLine))
        }
    }

    struct SetCohort: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "set-cohort", abstract: "Put a user in a cohort, or in none.")
        @OptionGroup var database: DatabaseOption
        @Option(help: "User id.") var user: Int64
        @Option(help: "Cohort id.") var cohort: Int64?
        @Flag(help: "Take the user out of every cohort.") var none = false

        func validate() throws {
            guard (cohort != nil) != none else { throw ValidationError("say --cohort C or --none") }
        }

        func run() async throws {
            try await database.service().setCohort(userId: user, cohortId: cohort, by: .commandLine)
            print(cohort.map { "user \(user) is now in cohort \($0)" } ?? "user \(user) is in no cohort")
        }
    }
}
