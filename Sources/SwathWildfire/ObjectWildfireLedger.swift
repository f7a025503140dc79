import Foundation
import SwathGeo

/// The ledger of a job written to an S3 prefix: each chip is uploaded from
/// the local staging folder as soon as it is written (then dropped there),
/// its record after it; what other shards finished is learnt by listing.
public final class ObjectWildfireLedger: WildfireLedger, Sendable {
    public let prefix: ObjectPrefix
    private let listing: ObjectListing

    public init(prefix: ObjectPrefix) {
        self.prefix = prefix
        listing = ObjectListing(prefix: prefix)
    }

    public func refresh() throws {
        try listing.refresh()
    }

    public func finished(_ name: String, signature: String) throws -> StackSummary? {
        let record = WildfireChipRecord.name(for: name)
        guard listing.contains(name, record) else { return nil }
        return try WildfireChipRecord.decode(try prefix.read(record, limit: 1 << 20), name: prefix.uri(record), signature: signature)
    }

    public func publish(_ name: String, file: URL, summary: StackSummary, signature: String) throws {
        try prefix.upload(from: file.path, as: name)
        try prefix.upload(WildfireChipRecord(signature: signature, summary: summary).encoded(), as: WildfireChipRecord.name(for: name))
        try? FileManager.default.removeItem(at: file)
    }
}
