import Synchronization

/// What each grid tile came to, in nine bytes a tile: its state in a flat
/// byte array and its nodata fraction in a flat array of doubles, so a job's
/// bookkeeping stays a few megabytes even at the million-tile limit. Workers
/// fill distinct slots; the index is written from the table once every slot
/// is filled.
final class TileRecords: Sendable {
    /// The per-tile table; arrays are shared, not copied, when it is handed out.
    struct Table: Sendable {
        fileprivate var states: [UInt8]
        fileprivate var fractions: [Double]

        var count: Int { states.count }

        /// Tile `index`'s outcome, nil while it has none.
        func outcome(at index: Int) -> TileOutcome? {
            TileOutcome.State(code: states[index]).map {
                TileOutcome(index: index, state: $0, nodataFraction: fractions[index])
            }
        }

        /// How many tiles are in `state`.
        func count(_ state: TileOutcome.State) -> Int {
            let code = state.code
            return states.reduce(0) { $0 + ($1 == code ? 1 : 0) }
        }

        /// How many of `tiles` are in `state`.
        func count(_ state: TileOutcome.State, among tiles: some Sequence<Int>) -> Int {
            let code = state.code
            return tiles.reduce(0) { $0 + (states[$1] == code ? 1 : 0) }
        }
    }

    private let table: Mutex<Table>
    private let filled = Atomic<Int>(0)

    init(count: Int) {
        table = Mutex(Table(states: [UInt8](repeating: 0, count: count), fractions: [Double](repeating: 0, count: count)))
    }

    /// Records a tile's outcome (a later one replaces an earlier one);
    /// returns how many tiles are complete now.
    @discardableResult
    func set(_ outcome: TileOutcome) -> Int {
        let isNew = table.withLock { table in
            let wasEmpty = table.states[outcome.index] == 0
            table.states[outcome.index] = outcome.state.code
            table.fractions[outcome.index] = outcome.nodataFraction
            return wasEmpty
        }
        return isNew ? filled.add(1, ordering: .relaxed).newValue : filled.load(ordering: .relaxed)
    }

    func isDone(_ index: Int) -> Bool {
        table.withLock { $0.states[index] != 0 }
    }

    var completedCount: Int { filled.load(ordering: .relaxed) }

    /// The table as it stands, tiles without an outcome included.
    var current: Table { table.withLock { $0 } }

    /// Whether every one of `tiles` has an outcome.
    func areDone(_ tiles: some Sequence<Int>) -> Bool {
        table.withLock { table in tiles.allSatisfy { table.states[$0] != 0 } }
    }

    /// The table once every tile has an outcome, nil while some has none.
    var complete: Table? {
        table.withLock { table in
            table.states.contains(0) ? nil : table
        }
    }
}

extension TileOutcome.State {
    /// 0 stands for "no outcome yet" in `TileRecords`.
    fileprivate var code: UInt8 {
        switch self {
        case .written: return 1
        case .skippedEmpty: return 2
        case .resumed: return 3
        }
    }

    fileprivate init?(code: UInt8) {
        switch code {
        case 1: self = .written
        case 2: self = .skippedEmpty
        case 3: self = .resumed
        default: return nil
        }
    }
}
