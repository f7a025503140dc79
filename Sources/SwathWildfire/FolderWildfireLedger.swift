import Foundation

/// The ledger of a job written to a local or shared folder: the stack is
/// already in place (renamed in whole), the record is written after it.
public struct FolderWildfireLedger: WildfireLedger {
    public let folder: URL

    public init(folder: URL) {
        self.folder = folder
    }

    public func refresh() throws {}

    public func finished(_ name: String, signature: String) throws -> StackSummary? {
        let record = folder.appendingPathComponent(WildfireChipRecord.name(for: name))
        guard FileManager.default.fileExists(atPath: folder.appendingPathComponent(name).path),
              let bytes = FileManager.default.contents(atPath: record.path) else { return nil }
        return try WildfireChipRecord.decode(Array(bytes), name: record.path, signature: signature)
    }

    public func publish(_ name: String, file: URL, summary: StackSummary, signature: String) throws {
        let record = folder.appendingPathComponent(WildfireChipRecord.name(for: name))
        try FileManager.default.createDirectory(at: record.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(WildfireChipRecord(signature: signature, summary: summary).encoded()).write(to: record, options: .atomic)
    }
}
