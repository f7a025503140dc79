import Crypto
import Foundation
import GRDB
import PostgresNIO

/// `swath admin migrate-db`: a whole SQLite database copied into an empty
/// PostgreSQL one, ids and all, in one transaction that also reads every
/// table back and compares row counts and checksums before it commits. A
/// mismatch, an error or a non-empty target leaves the target as it was.
public enum DatabaseCopy {
    /// What was copied, table by table, for the operator to keep.
    public struct TableReport: Sendable, Equatable {
        public var table: String
        public var rows: Int
        /// SHA-256 of the table's rows in key order, the same on both sides.
        public var checksum: String
    }

    public static func copy(from source: SQLiteStore, to target: PostgresStore) async throws -> [TableReport] {
        var tables: [(CopiedTable, [[CellValue]])] = []
        for table in CopiedTable.all { tables.append((table, try await source.copiedRows(of: table))) }
        let loaded = tables
        return try await target.write { session in
            try await refuseNonEmpty(session, location: target.location)
            var reports: [TableReport] = []
            for (table, rows) in loaded {
                try await insert(session, rows, into: table)
                let copied = try await readBack(session, table)
                let expected = TableReport(table: table.name, rows: rows.count, checksum: checksum(rows))
                let found = TableReport(table: table.name, rows: copied.count, checksum: checksum(copied))
                guard expected == found else {
                    throw LabelingError.conflict("\(table.name): \(rows.count) rows read, \(copied.count) found after the copy, checksums "
                                                 + "\(expected.checksum.prefix(12)) vs \(found.checksum.prefix(12)); nothing was committed")
                }
                reports.append(expected)
            }
            return reports
        }
    }

    private static func refuseNonEmpty(_ session: PostgresSession, location: PostgresLocation) async throws {
        for table in CopiedTable.all {
            if try await session.row(PostgresQuery(unsafeSQL: "SELECT 1 FROM \(table.name) LIMIT 1")) != nil {
                throw LabelingError.conflict("\(location) is not empty (its \(table.name) table has rows); migrate into a new, empty database")
            }
        }
    }

    /// Rows in multi-row INSERTs within PostgreSQL's bind limit; geometries
    /// arrive without an SRID and get their scene's EPSG code afterwards.
    private static func insert(_ session: PostgresSession, _ rows: [[CellValue]], into table: CopiedTable) async throws {
        let names = table.columns.map { "\"\($0.name)\"" }.joined(separator: ", ")
        let perStatement = max(1, 30_000 / table.columns.count)
        for start in stride(from: 0, to: rows.count, by: perStatement) {
            var binds = PostgresBindings()
            var tuples: [String] = []
            for row in rows[start..<min(start + perStatement, rows.count)] {
                var placeholders: [String] = []
                for (column, value) in zip(table.columns, row) {
                    try bind(value, as: column.kind, into: &binds)
                    if case .geometry = column.kind {
                        placeholders.append("ST_GeomFromWKB($\(binds.count))")
                    } else {
                        placeholders.append("$\(binds.count)")
                    }
                }
                tuples.append("(" + placeholders.joined(separator: ", ") + ")")
            }
            try await session.run(PostgresQuery(unsafeSQL: "INSERT INTO \(table.name) (\(names)) VALUES " + tuples.joined(separator: ", "),
                                                binds: binds))
        }
        for column in table.columns {
            if case .geometry(let sceneOf) = column.kind {
                try await session.run(PostgresQuery(unsafeSQL: """
                    UPDATE \(table.name) SET \(column.name) = ST_SetSRID(\(column.name),
                        COALESCE((SELECT epsg FROM scenes WHERE scenes.id = \(sceneOf)), 0)::integer)
                    """))
            }
        }
        if table.hasSequence {
            try await session.run(PostgresQuery(unsafeSQL: """
                SELECT setval(pg_get_serial_sequence('\(table.name)', 'id'), COALESCE((SELECT MAX(id) FROM \(table.name)), 1),
                    (SELECT MAX(id) FROM \(table.name)) IS NOT NULL)
                """))
        }
    }

    private static func bind(_ value: CellValue, as kind: CopiedColumn.Kind, into binds: inout PostgresBindings) throws {
        switch (value, kind) {
        case (.null, _): binds.appendNull()
        case (.integer(let number), .boolean): binds.append(number != 0)
        case (.integer(let number), _): binds.append(number)
        case (.real(let number), _): binds.append(number)
        case (.text(let text), _): binds.append(text)
        case (.blob(let bytes), _): try binds.append(Data(bytes))
        }
    }

    private static func readBack(_ session: PostgresSession, _ table: CopiedTable) async throws -> [[CellValue]] {
        let columns = table.columns.map { column -> String in
            switch column.kind {
            case .geometry: return "ST_AsBinary(\(column.name))"
            case .boolean: return "\(column.name)::integer"
            default: return "\"\(column.name)\""
            }
        }
        return try await session.rows(PostgresQuery(unsafeSQL: "SELECT \(columns.joined(separator: ", ")) FROM \(table.name) ORDER BY \(table.orderBy)"))
            .map { row in
                try table.columns.indices.map { index in try cell(row[index], as: table.columns[index].kind) }
            }
    }

    private static func cell(_ cell: PostgresCell, as kind: CopiedColumn.Kind) throws -> CellValue {
        switch kind {
        case .integer: return try cell.decode(Int64?.self).map(CellValue.integer) ?? .null
        case .boolean: return try cell.decode(Int?.self).map { .integer(Int64($0)) } ?? .null
        case .real: return try cell.decode(Double?.self).map(CellValue.real) ?? .null
        case .text: return try cell.decode(String?.self).map(CellValue.text) ?? .null
        case .blob, .geometry: return try cell.decode(Data?.self).map { .blob([UInt8]($0)) } ?? .null
        }
    }

    static func checksum(_ rows: [[CellValue]]) -> String {
        var hasher = SHA256()
        for row in rows { for value in row { value.hash(into: &hasher) } }
        return hasher.finalize().map { String(format: "%02x", $0) }.joined()
    }
}
