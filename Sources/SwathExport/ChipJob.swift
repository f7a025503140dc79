import Foundation
import Synchronization
import SwathGeo
import SwathLabels

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
        guard !work.isEmpty else { return [] }
        let next = Atomic<Int>(0)
        let results = Mutex<[ManifestEntry?]>(Array(repeating: nil, count: work.count))
        let firstError = Mutex<Error?>(nil)
        let group = DispatchGroup()
        let box = UncheckedBox(work)  // read-only for the workers
        for _ in 0..<min(threads, work.count) {
            group.enter()
            Thread { [scene, writer, onChip] in
                defer { group.leave() }
                do {
                    let raster = try Raster.open(scene.uri)
                    let toWGS84 = try Reprojector.toWGS84(from: scene.crs)
                    while firstError.withLock({ $0 == nil }) {
                        let index = next.add(1, ordering: .relaxed).oldValue
                        guard index < box.value.count else { break }
                        let item = box.value[index]
                        let entry = try writer.write(item, scene: scene, raster: raster, toWGS84: toWGS84)
                        results.withLock { $0[index] = entry }
                        onChip()
                    }
                } catch {
                    firstError.withLock { if $0 == nil { $0 = error } }
                }
            }.start()
        }
        group.wait()
        if let error = firstError.withLock({ $0 }) { throw error }
        return results.withLock { $0.compactMap { $0 } }
    }
}

/// Hands read-only data to worker threads.
final class UncheckedBox<Value>: @unchecked Sendable {
    let value: Value
    init(_ value: Value) { self.value = value }
}
