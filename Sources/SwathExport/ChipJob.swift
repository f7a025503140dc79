import Foundation
import Synchronization
import SwathGeo
import SwathLabels
import SwathTiling

/// Writes a scene's chips on `threads` threads, each with its own GDAL
/// handle and PROJ context (neither may be shared), and returns the
/// manifest entries in chip order.
struct ChipJob {
    let scene: Scene
    let writer: ChipWriter
    let threads: Int
    /// Called after each chip is in place (from the worker threads).
    var onChip: @Sendable () -> Void = {}

    func run(_ work: [SelectedChip]) throws -> [ManifestEntry] {
        let results = Mutex<[ManifestEntry?]>(Array(repeating: nil, count: work.count))
        let box = UncheckedBox(work)  // read-only for the workers
        writer.removeLeftovers(of: work.map(\.chip))
        try WorkerThreads.run(count: work.count, threads: threads,
                              makeState: { [scene] in (try Raster.open(scene.uri), try Reprojector.toWGS84(from: scene.crs)) },
                              job: { [scene, writer, onChip] state, index, _ in
            let entry = try writer.write(box.value[index], scene: scene, raster: state.0, toWGS84: state.1)
            results.withLock { $0[index] = entry }
            onChip()
        })
        return results.withLock { $0.compactMap { $0 } }
    }
}

/// Hands read-only data to worker threads.
final class UncheckedBox<Value>: @unchecked Sendable {
    let value: Value
    init(_ value: Value) { self.value = value }
}
