import Foundation
import Synchronization

/// A fixed set of threads for GDAL work requested from async code. GDAL
/// calls block, so they stay off the server's event loops and Swift's
/// cooperative pool; and each thread keeps its own dataset handles (a
/// `RenderThreadState`), which GDAL requires, and warm ones across requests.
/// One first-come-first-served queue: per-thread queues with work stealing
/// (to keep neighbouring tiles' blocks on one thread) measured slower, the
/// stolen-from queue's jobs waiting behind the thief's own.
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

