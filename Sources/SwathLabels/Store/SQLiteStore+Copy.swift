import Foundation
import GRDB

extension SQLiteStore {
    /// Every row of a table `migrate-db` copies, in key order, as typed values.
    func copiedRows(of table: CopiedTable) async throws -> [[CellValue]] {
        let columns = table.columns.map { "\"\($0.sqliteName ?? $0.name)\"" }.joined(separator: ", ")
        return try await pool.read { db in
            try Row.fetchAll(db, sql: "SELECT \(columns) FROM \(table.name) ORDER BY \(table.orderBy == "id" && table.columns.first?.sqliteName != nil ? "rowid" : table.orderBy)")
                .map { row in table.columns.indices.map { Self.cell(row[$0] as DatabaseValue, as: table.columns[$0].kind) } }
        }
    }

    private static func cell(_ value: DatabaseValue, as kind: CopiedColumn.Kind) -> CellValue {
        switch value.storage {
        case .null: return .null
        case .int64(let number):
            if case .real = kind { return .real(Double(number)) }  // SQLite keeps whole REALs as integers at times
            return .integer(number)
        case .double(let number): return .real(number)
        case .string(let text): return .text(text)
        case .blob(let data): return .blob([UInt8](data))
        }
    }
}
