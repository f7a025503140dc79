import Dispatch

/// Blocking work (GDAL reads, GEOS, hashing, parsing large documents) run on a GCD thread and
/// awaited: Swift's cooperative pool has one thread per core for every request of the server.
public enum BlockingWork {
    public static func run<Value: Sendable>(_ work: @escaping @Sendable () throws -> Value) async throws -> Value {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async { continuation.resume(with: Result { try work() }) }
        }
    }
}
