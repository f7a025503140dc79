import SwathExport
import SwathLabels

/// `--status accepted,submitted`: task statuses, comma-separated, as
/// `export` and `wildfire` take them.
enum StatusList {
    static func parse(_ text: String) throws -> Set<TaskStatus> {
        Set(try text.split(separator: ",").map { name in
            guard let status = TaskStatus(rawValue: String(name)) else {
                throw ExportError.invalidOption("--status", "'\(name)' is not one of \(TaskStatus.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            return status
        })
    }
}
