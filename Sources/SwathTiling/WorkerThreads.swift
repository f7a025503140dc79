import Foundation
import Synchronization

/// Runs jobs 0..<count on up to `threads` threads. GDAL and PROJ handles
/// serve one thread at a time, so each thread first makes its own `State`,
/// then takes job indices in order until none are left, `stop()` says so,
/// or a job fails; the first error stops the others and is rethrown.
/// The tiler and the chip exporter both run on it.
public enum WorkerThreads {
    public static func run<State>(count: Int, threads: Int, stop: @escaping @Sendable () -> Bool = { false },
                                  makeState: @escaping @Sendable () throws -> State,
                                  job: @escaping @Sendable (State, Int, _ isStopping: () -> Bool) throws -> Void) throws {
        guard count > 0 else { return }
        let next = Atomic<Int>(0)
        let firstError = Mutex<Error?>(nil)
        let failed = Atomic<Bool>(false)
        let isStopping: @Sendable () -> Bool = { failed.load(ordering: .relaxed) || stop() }
        let group = DispatchGroup()
        for _ in 0..<min(max(threads, 1), count) {
            group.enter()
            let thread = Thread {
                defer { group.leave() }
                do {
                    let state = try makeState()
                    while !isStopping() {
                        let index = next.add(1, ordering: .relaxed).oldValue
                        guard index < count else { break }
                        try job(state, index, isStopping)
                    }
                } catch {
                    firstError.withLock { if $0 == nil { $0 = error } }
                    failed.store(true, ordering: .relaxed)
                }
            }
            thread.stackSize = 1 << 20
            thread.start()
        }
        group.wait()
        if let error = firstError.withLock({ $0 }) { throw error }
    }
}
