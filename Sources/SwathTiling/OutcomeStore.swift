import Synchronization

/// Tile outcomes shared by the workers, one slot per grid tile.
final class OutcomeStore: Sendable {
    private let slots: Mutex<[TileOutcome?]>
    private let filled = Atomic<Int>(0)

    init(count: Int) {
        slots = Mutex([TileOutcome?](repeating: nil, count: count))
    }

    /// Records a tile's outcome; returns how many tiles are complete now.
    @discardableResult
    func set(_ outcome: TileOutcome) -> Int {
        let isNew = slots.withLock { slots in
            defer { slots[outcome.index] = outcome }
            return slots[outcome.index] == nil
        }
        return isNew ? filled.add(1, ordering: .relaxed).newValue : filled.load(ordering: .relaxed)
    }

    var completedCount: Int { filled.load(ordering: .relaxed) }

    /// Every outcome in grid order, or nil while some tile has none.
    var all: [TileOutcome]? {
        slots.withLock { slots in
            let done = slots.compactMap { $0 }
            return done.count == slots.count ? done : nil
        }
    }
}
