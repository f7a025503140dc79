import Synchronization

/// What an S3 prefix held when it was last listed, shared by a job's threads:
/// whether a tile, chip or record is there, asked again and again between
/// `refresh`es without a request each time.
public final class ObjectListing: Sendable {
    public let prefix: ObjectPrefix
    private let names = Mutex<Set<String>>([])

    public init(prefix: ObjectPrefix) {
        self.prefix = prefix
    }

    /// Lists the prefix again (fresh: GDAL's cached listing is dropped first).
    public func refresh() throws {
        let listed = try prefix.list()
        names.withLock { $0 = Set(listed.keys) }
    }

    /// Whether every one of `wanted` (names relative to the prefix) was there.
    public func contains(_ wanted: String...) -> Bool {
        names.withLock { names in wanted.allSatisfy(names.contains) }
    }

    /// The listed names that `include` keeps, sorted.
    public func names(where include: (String) -> Bool) -> [String] {
        names.withLock { $0.filter(include) }.sorted()
    }
}
