import Foundation
import Synchronization
import SwathTiling

/// A one-line progress bar on stderr, drawn only when stderr is a terminal
/// and at most ten times a second.
final class ProgressBar: Sendable {
    private let lastDraw = Mutex<Double>(-1)
    private let unit: String

    init(unit: String) {
        self.unit = unit
    }

    /// nil when stderr is not a terminal (logs and pipes get the summary only).
    static func forStandardError(unit: String = "tiles") -> ProgressBar? {
        isatty(STDERR_FILENO) != 0 ? ProgressBar(unit: unit) : nil
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
        let bar = String(repeating: "#", count: filled) + String(repeating: " ", count: width - filled)
        let line = "\r[\(bar)] \(progress.completed)/\(progress.total) \(unit)  "
            + String(format: "%.1f %@/s  ETA %.0f s ", rate, unit, remaining)
        FileHandle.standardError.write(Data(line.utf8))
    }

    func finish() {
        FileHandle.standardError.write(Data("\n".utf8))
    }
}
