import Synchronization
import PostgresNIO

/// Tells the queries waiting on a pooled connection that it closed, with one
/// close callback per connection: a callback per query would pile up on a
/// long-lived connection (a closure for every query it ever ran) until it closes.
final class ConnectionWatch: Sendable {
    private struct State {
        var closed = false
        var next: UInt64 = 0
        var waiting: [UInt64: @Sendable () -> Void] = [:]
    }

    private let state = Mutex(State())

    private static let watches = Mutex<[ObjectIdentifier: ConnectionWatch]>([:])

    /// The one watch of `connection`, made on first use and dropped when it closes.
    static func of(_ connection: PostgresConnection) -> ConnectionWatch {
        let key = ObjectIdentifier(connection)
        let (watch, isNew) = watches.withLock { watches -> (ConnectionWatch, Bool) in
            if let watch = watches[key] { return (watch, false) }
            let watch = ConnectionWatch()
            watches[key] = watch
            return (watch, true)
        }
        if isNew {
            connection.closeFuture.whenComplete { _ in
                _ = watches.withLock { $0.removeValue(forKey: key) }
                watch.close()
            }
        }
        return watch
    }

    /// Runs `onClose` if the connection closes before `remove(_:)` is called with
    /// the returned ticket; at once when it has already closed.
    func add(_ onClose: @escaping @Sendable () -> Void) -> UInt64 {
        let ticket = state.withLock { state -> UInt64? in
            guard !state.closed else { return nil }
            state.next += 1
            state.waiting[state.next] = onClose
            return state.next
        }
        guard let ticket else {
            onClose()
            return 0
        }
        return ticket
    }

    func remove(_ ticket: UInt64) {
        _ = state.withLock { $0.waiting.removeValue(forKey: ticket) }
    }

    /// How many queries are waiting (for tests: it must fall back to 0).
    var waitingCount: Int { state.withLock { $0.waiting.count } }

    private func close() {
        let waiting = state.withLock { state -> [@Sendable () -> Void] in
            state.closed = true
            defer { state.waiting = [:] }
            return Array(state.waiting.values)
        }
        for onClose in waiting { onClose() }
    }
}
