import Synchronization

/// Set from a signal handler (Ctrl-C) or a caller; workers finish the tile
/// in hand and stop.
public final class CancellationFlag: Sendable {
    private let flag = Atomic<Bool>(false)

    public init() {}

    public func cancel() { flag.store(true, ordering: .relaxed) }
    public var isCancelled: Bool { flag.load(ordering: .relaxed) }
}
