import Foundation
import Synchronization
import SwathTiling

/// A one-line progress bar on stderr, drawn only when stderr is a terminal
/// and at most ten times a second.
final class ProgressBar: Sendable {
    private let lastDraw = Mutex<Double>(-1)

    /// nil when stderr is not a terminal (logs and pipes get the summary only).
    static func forStandardError() -> ProgressBar? {
        isatty(STDERR_FILENO) != 0 ? ProgressBar() : nil
    }

    func update(_ progress: TileProgress) {
        let due = lastDraw.withLock { last -> Bool in
            guard progress.completed == progress.total || progress.elapsedSeconds - last >= 0.1 else { return false }
            last = progress.elapsedSeconds
            return true
        }
        guard due else { return }
        let fraction = Double(progress.completed) / Double(max(progress.total, 1))
        let width = 30
        let filled = Int(fraction * Double(width))
        let rate = progress.elapsedSeconds > 0 ? Double(progress.completed) / progress.elapsedSeconds : 0
        let remaining = rate > 0 ? Double(progress.total - progress.completed) / rate : 0
        let line = String(format: "\r[%@%@] %d/%d tiles  %.1f tiles/s  ETA %.0f s ",
                          String(repeating: "#", count: filled), String(repeating: " ", count: width - filled),
                          progress.completed, progress.total, rate, remaining)
        FileHandle.standardError.write(Data(line.utf8))
    }

    func finish() {
        FileHandle.standardError.write(Data("\n".utf8))
    }
}
