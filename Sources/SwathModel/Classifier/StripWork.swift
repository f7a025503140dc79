import Dispatch
import Synchronization

/// Work over a scene strip by strip on `threads` threads, each with a state of its own (a GDAL
/// handle is not shared); results come back in strip order, and the first error stops the rest.
enum StripWork {
    static func run<State, Result: Sendable>(height: Int, stripRows: Int, threads: Int, state makeState: @Sendable () throws -> State,
                                             _ body: @Sendable (State, Range<Int>) throws -> Result) throws -> [Result] {
        let strips = stride(from: 0, to: height, by: stripRows).map { $0..<min(height, $0 + stripRows) }
        let results = Mutex<[Int: Result]>([:])
        let failure = Mutex<(any Error)?>(nil)
        DispatchQueue.concurrentPerform(iterations: max(1, min(threads, strips.count))) { worker in
            do {
                let state = try makeState()
                for index in stride(from: worker, to: strips.count, by: max(1, min(threads, strips.count))) {
                    if failure.withLock({ $0 != nil }) { return }
                    let result = try body(state, strips[index])
                    results.withLock { $0[index] = result }
                }
            } catch {
                failure.withLock { if $0 == nil { $0 = error } }
            }
        }
        if let error = failure.withLock({ $0 }) { throw error }
        return results.withLock { stored in strips.indices.compactMap { stored[$0] } }
    }
}
