import Foundation

/// Where the shards of one chipped wildfire job keep track of finished chips:
/// each chip's stack, and after it a record of its summary, so the shard that
/// finishes last can write `summary.json` and `features.json` for every chip
/// without reading a stack back. A record names the job (`signature`): shards
/// with other inputs or options are refused instead of mixed.
public protocol WildfireLedger: Sendable {
    /// Sees what other shards have finished since the last look.
    func refresh() throws
    /// The summary of the chip `name` (e.g. `chips/r0_c1.tif`) when its stack and record are both there.
    func finished(_ name: String, signature: String) throws -> StackSummary?
    /// Puts the chip written at `file` in place as `name`, then its record.
    func publish(_ name: String, file: URL, summary: StackSummary, signature: String) throws
}

/// A finished chip's record.
struct WildfireChipRecord: Codable {
    var signature: String
    var summary: StackSummary

    /// Hidden beside the chips: `chips/r0_c1.tif` → `.swath-wildfire-chips/r0_c1.json`.
    static func name(for chip: String) -> String {
        ".swath-wildfire-chips/" + ((chip as NSString).lastPathComponent as NSString).deletingPathExtension + ".json"
    }

    static func decode(_ bytes: [UInt8], name: String, signature: String) throws -> StackSummary {
        guard let record = try? JSONDecoder().decode(Self.self, from: Data(bytes)) else {
            throw WildfireError("\(name): an unreadable chip record; remove the .swath-wildfire-chips records to start the job afresh")
        }
        guard record.signature == signature else {
            throw WildfireError("\(name): made by a shard with other inputs or options (\(record.signature)); every shard of a job "
                                + "must use the same scenes and options")
        }
        return record.summary
    }

    func encoded() throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return Array(try encoder.encode(self))
    }
}
