import CGDAL

/// A NULL-terminated `char**` list (GDAL's CSL) built from Swift strings,
/// for creation options and the like; freed in deinit.
struct CStringList {
    private let storage: Storage

    init(_ strings: [String]) {
        storage = Storage(strings)
    }

    /// Calls `body` with the list as GDAL's `char**` (nil when empty).
    func withPointer<R>(_ body: (UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) throws -> R) rethrows -> R {
        try body(storage.list)
    }

    /// The same list typed as GDAL's `CSLConstList` (`const char* const*`).
    func withConstPointer<R>(_ body: (UnsafePointer<UnsafePointer<CChar>?>?) throws -> R) rethrows -> R {
        try body(UnsafeRawPointer(storage.list)?.assumingMemoryBound(to: UnsafePointer<CChar>?.self))
    }

    private final class Storage {
        let list: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?

        init(_ strings: [String]) {
            var list: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = nil
            for string in strings {
                list = CSLAddString(list, string)
            }
            self.list = list
        }

        deinit {
            CSLDestroy(list)
        }
    }
}
