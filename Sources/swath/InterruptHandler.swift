import Dispatch
import Foundation

/// Turns Ctrl-C (SIGINT) and SIGTERM into a call to `onInterrupt`, so a
/// running job can finish the tile in hand and stop cleanly. A second Ctrl-C
/// falls back to the default action and ends the process at once.
final class InterruptHandler {
    private var sources: [DispatchSourceSignal] = []

    init(onInterrupt: @escaping @Sendable () -> Void) {
        for signalNumber in [SIGINT, SIGTERM] {
            signal(signalNumber, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: .global())
            source.setEventHandler {
                FileHandle.standardError.write(Data("\nswath: stopping after the tiles in hand…\n".utf8))
                onInterrupt()
                signal(signalNumber, SIG_DFL)
            }
            source.resume()
            sources.append(source)
        }
    }

    func restore() {
        sources.forEach { $0.cancel() }
        signal(SIGINT, SIG_DFL)
        signal(SIGTERM, SIG_DFL)
    }
}
