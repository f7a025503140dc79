import ArgumentParser
import Foundation
import SwathLabels

/// `--db`, shared by every command that works on the labeling database: a
/// SQLite file, or a PostgreSQL URL. `SWATH_DATABASE_URL` sets the default, so
/// a password need not appear on a command line (where `ps` shows it).
struct DatabaseOption: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp(
        "The database: a SQLite file (created when missing) or postgres://user:password@host:port/database[?sslmode=…].",
        discussion: "Default: $SWATH_DATABASE_URL, else swath.sqlite."))
    var db: String?

    /// What `--db` names, after the environment's default.
    var location: DatabaseLocation {
        get throws {
            let environment = ProcessInfo.processInfo.environment["SWATH_DATABASE_URL"].flatMap { $0.isEmpty ? nil : $0 }
            return try DatabaseLocation(db ?? environment ?? "swath.sqlite")
        }
    }

    /// The SQLite file, when the database is one (the server keeps requests off it).
    var sqlitePath: String? {
        guard case .sqlite(let path)? = try? location else { return nil }
        return path
    }

    func service() async throws -> LabelingService {
        LabelingService(store: try await location.open())
    }
}
