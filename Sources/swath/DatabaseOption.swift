import ArgumentParser
import SwathLabels

/// `--db`, shared by every command that works on the labeling database.
struct DatabaseOption: ParsableArguments {
    @Option(name: .long, help: "The SQLite database file (created when missing).")
    var db = "swath.sqlite"

    func service() throws -> LabelingService {
        LabelingService(store: try SQLiteStore(path: db))
    }
}
