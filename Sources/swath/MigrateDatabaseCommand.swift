import ArgumentParser
import Foundation
import SwathLabels

extension AdminCommand {
    /// `swath admin migrate-db`: the embedded database moved to a PostgreSQL server, checked before it commits.
    struct MigrateDatabase: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "migrate-db",
            abstract: "Copy a whole SQLite database into an empty PostgreSQL database, checking row counts and checksums.")
        @Option(help: "The SQLite database file to copy (left unchanged).") var from: String
        @Option(help: "The empty PostgreSQL database: postgres://user:password@host:port/database (default: $SWATH_DATABASE_URL).")
        var to: String?

        func run() async throws {
            guard FileManager.default.fileExists(atPath: from) else {
                throw LabelingError.invalid("--from \(from): no such SQLite database")
            }
            guard case .sqlite(let path) = try DatabaseLocation(from) else {
                throw LabelingError.invalid("--from: give the SQLite file to copy, not a URL")
            }
            let url = to ?? ProcessInfo.processInfo.environment["SWATH_DATABASE_URL"] ?? ""
            guard case .postgres(let target) = try DatabaseLocation(url.isEmpty ? "--to" : url) else {
                throw LabelingError.invalid("--to: give a postgres:// URL (or set SWATH_DATABASE_URL)")
            }
            let source = try SQLiteStore(path: path)
            let destination = try await PostgresStore.open(target)
            let reports = try await DatabaseCopy.copy(from: source, to: destination)
            print("copied \(path) into \(target):")
            for report in reports {
                print("  \(report.table.padding(toLength: 18, withPad: " ", startingAt: 0)) \(String(report.rows).leftPadded(to: 9))  sha256 \(report.checksum.prefix(16))")
            }
            print("row counts and checksums match; the SQLite file is unchanged")
        }
    }
}

private extension String {
    func leftPadded(to width: Int) -> String { String(repeating: " ", count: max(0, width - count)) + self }
}
