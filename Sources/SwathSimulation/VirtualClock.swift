import Foundation
import Synchronization

/// The simulation's time: it moves on by the seconds annotators spend, so
/// hours of work run in seconds and leases behave as they would.
final class VirtualClock: Sendable {
    private let current = Mutex(Date(timeIntervalSince1970: 1_800_000_000))

    func now() -> Date { current.withLock { $0 } }

    func advance(_ seconds: Double) {
        current.withLock { $0 = $0.addingTimeInterval(seconds) }
    }
}
