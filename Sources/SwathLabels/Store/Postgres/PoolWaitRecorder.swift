import Synchronization

/// How long requests waited for a pooled database connection: a running
/// count and total that /metrics turns into a counter pair.
public final class PoolWaitRecorder: Sendable {
    private let totals = Mutex<(count: Int, seconds: Double)>((0, 0))

    func record(seconds: Double) {
        totals.withLock { $0 = ($0.count + 1, $0.seconds + seconds) }
    }

    /// Waits so far and the seconds they took altogether.
    public var snapshot: (count: Int, seconds: Double) { totals.withLock { $0 } }
}
