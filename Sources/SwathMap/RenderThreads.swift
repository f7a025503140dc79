import Foundation
import Synchronization

/// A fixed set of threads for GDAL work requested from async code. GDAL
/// calls block, so they stay off the server's event loops and Swift's
/// cooperative pool; and each thread keeps its own dataset handles (a
/// `RenderThreadState`), which GDAL requires, and warm ones across requests.
public final class RenderThreads: Sendable {
    typealias Job = @Sendable (RenderThreadState) -> Void

    /// One per core, shared by every renderer in the process; the threads live as long as it does.
    public static let shared = RenderThreads()

    private let queue = JobQueue()
    public let count: Int

    public init(count: Int = ProcessInfo.processInfo.activeProcessorCount) {
        self.count = max(count, 1)
        for index in 0..<self.count {
            let thread = Thread { [queue] in
                let state = RenderThreadState()
                while true { queue.next()(state) }
            }
            thread.name = "swath-render-\(index)"
            thread.stackSize = 1 << 20
            thread.start()
        }
    }

    /// Runs `work` on one of the threads and returns its result.
    public func run<Value: Sendable>(_ work: @escaping @Sendable (RenderThreadState) throws -> Value) async throws -> Value {
        try await withCheckedThrowingContinuation { continuation in
            queue.append { state in continuation.resume(with: Result<Value, Error> { try work(state) }) }
        }
    }
}

/// First come, first served; `next` blocks until there is a job.
private final class JobQueue: Sendable {
    private let jobs = Mutex<[RenderThreads.Job]>([])
    private let available = DispatchSemaphore(value: 0)

    func append(_ job: @escaping RenderThreads.Job) {
        jobs.withLock { $0.append(job) }
        available.signal()
    }

    func next() -> RenderThreads.Job {
        while true {
            available.wait()
            if let job = jobs.withLock({ $0.isEmpty ? nil : $0.removeFirst() }) { return job }
        }
    }
}

/// What one render thread keeps between jobs: open warpers by file path.
public final class RenderThreadState {
    private var warpers: [String: WarperSlot] = [:]
    private var uses = 0
    /// Open scenes per thread; more are closed, least recently used first.
    static let capacity = 16

    struct WarperSlot {
        var warper: AnyObject
        var lastUse: Int
    }

    /// The thread's handle on `key`, opened by `open` the first time.
    func value<T: AnyObject>(_ key: String, open: () throws -> T) rethrows -> T {
        uses += 1
        if let slot = warpers[key], let value = slot.warper as? T {
            warpers[key]?.lastUse = uses
            return value
        }
        if warpers.count >= Self.capacity, let oldest = warpers.min(by: { $0.value.lastUse < $1.value.lastUse })?.key {
            warpers[oldest] = nil
        }
        let value = try open()
        warpers[key] = WarperSlot(warper: value, lastUse: uses)
        return value
    }

    /// Drops the handle on `key` (its file went away or changed).
    func forget(_ key: String) {
        warpers[key] = nil
    }
}
