import Foundation

/// Uploads run beside the workers instead of inside them: a worker hands a
/// staged tile over and cuts the next one while the last goes up. At most
/// `capacity` uploads wait or run (a worker handing over one more waits for
/// room), on `uploaders` threads that end with `close`. The first failure is
/// kept: every later hand-over and `drain` throw it, and what was still
/// waiting is dropped (never published, so never journaled: a rerun cuts it again).
final class UploadQueue: @unchecked Sendable {
    typealias Upload = @Sendable () throws -> Void
    typealias Discard = @Sendable () -> Void

    private let uploaders: Int
    private let capacity: Int
    /// Guards everything below.
    private let condition = NSCondition()
    private var waiting: [(upload: Upload, discard: Discard)] = []
    private var running = 0
    private var failure: Error?
    private var threadsStarted = false
    private var closed = false

    init(uploaders: Int, capacity: Int) {
        self.uploaders = max(1, uploaders)
        self.capacity = max(1, capacity)
    }

    /// Queues `upload`, waiting while the queue is full; `discard` cleans up
    /// if it will never run. Throws the queue's failure, if any.
    func submit(_ upload: @escaping Upload, discard: @escaping Discard) throws {
        condition.lock()
        defer { condition.unlock() }
        startThreadsIfNeeded()
        while failure == nil, waiting.count + running >= capacity { condition.wait() }
        if let failure {
            discard()
            throw failure
        }
        waiting.append((upload, discard))
        condition.broadcast()
    }

    /// Waits until every queued upload has finished; throws the first failure.
    func drain() throws {
        condition.lock()
        defer { condition.unlock() }
        while !waiting.isEmpty || running > 0 { condition.wait() }
        if let failure { throw failure }
    }

    /// Drops what still waits and lets the uploader threads end.
    func close() {
        condition.lock()
        let dropped = waiting.map(\.discard)
        waiting.removeAll()
        closed = true
        condition.broadcast()
        condition.unlock()
        dropped.forEach { $0() }
    }

    private func startThreadsIfNeeded() {
        guard !threadsStarted, !closed else { return }
        threadsStarted = true
        for _ in 0..<uploaders {
            let thread = Thread { [self] in work() }
            thread.stackSize = 1 << 20
            thread.start()
        }
    }

    /// An uploader: runs the oldest waiting upload, and repeats until closed.
    private func work() {
        condition.lock()
        while true {
            while waiting.isEmpty, !closed { condition.wait() }
            if waiting.isEmpty { break }
            let next = waiting.removeFirst()
            running += 1
            condition.unlock()
            var failed: Error?
            do { try next.upload() } catch { failed = error }
            condition.lock()
            running -= 1
            if let failed, failure == nil {
                failure = failed
                let dropped = waiting.map(\.discard)
                waiting.removeAll()
                dropped.forEach { $0() }
            }
            condition.broadcast()
        }
        condition.unlock()
    }
}
