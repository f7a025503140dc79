import Synchronization

/// How many tile renders may wait for or run on the render threads at once.
/// Past that a request is turned away at once (503) rather than queued: a
/// queue without a bound lets a flood of distinct tiles hold every request
/// behind it for minutes and grow memory with each waiting continuation.
final class RenderAdmission: Sendable {
    let limit: Int
    private let pending = Mutex(0)

    init(limit: Int) {
        self.limit = max(limit, 1)
    }

    /// Takes a place, or says there is none.
    func enter() -> Bool {
        pending.withLock { count in
            guard count < limit else { return false }
            count += 1
            return true
        }
    }

    func leave() {
        pending.withLock { $0 -= 1 }
    }

    var count: Int { pending.withLock { $0 } }
}
