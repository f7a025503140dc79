import SwathLabels

/// A job asked for over HTTP, as its request gives it (`ExportRequest`, `WildfireRequest`, `SpreadDatasetRequest`):
/// the statuses of the tasks whose labels it reads, and the form it is stored in with its job.
public protocol JobRequest: Encodable {
    /// Task statuses by name; nil: accepted only.
    var statuses: [String]? { get }
}

extension JobRequest {
    /// The statuses, checked: each must be a task status, and an empty list is refused.
    public func statusSet() throws -> Set<TaskStatus> {
        guard let statuses else { return [.accepted] }
        guard !statuses.isEmpty else { throw ExportError.invalidOption("statuses", "give at least one status") }
        return Set(try statuses.map { name in
            guard let status = TaskStatus(rawValue: name) else {
                throw ExportError.invalidOption("statuses", "'\(name)' is not one of \(TaskStatus.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            return status
        })
    }

    /// The stored form (sorted keys: the same request is the same text).
    public func json() throws -> String {
        try StoredJSON.text(self)
    }
}
