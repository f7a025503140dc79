import Synchronization
import SwathGeo

/// Reprojectors from scene CRSs to WGS84, kept for reuse: PROJ set-up costs
/// far more than a transform, and a Reprojector serves one thread at a time,
/// so each call borrows one and gives it back.
final class ReprojectorPool: Sendable {
    /// Keyed by scene: hashing a whole WKT string on every borrow costs more than the transform.
    private let idle = Mutex<[SceneID: [Reprojector]]>([:])
    /// Bounds: idle reprojectors kept per scene (one per concurrent request is plenty), and scenes kept at all.
    static let perScene = 8
    static let scenes = 1024

    func withReprojector<T>(for scene: Scene, _ body: (Reprojector) throws -> T) throws -> T {
        let reprojector = try borrow(scene.id, crsWKT: scene.crsWKT)
        defer { giveBack(reprojector, sceneId: scene.id) }
        return try body(reprojector)
    }

    private func giveBack(_ reprojector: Reprojector, sceneId: SceneID) {
        idle.withLock { idle in
            if idle[sceneId] == nil, idle.count >= Self.scenes { idle.removeAll(keepingCapacity: true) }
            if idle[sceneId, default: []].count < Self.perScene { idle[sceneId, default: []].append(reprojector) }
        }
    }

    private func borrow(_ sceneId: SceneID, crsWKT: String) throws -> Reprojector {
        if let ready = idle.withLock({ $0[sceneId]?.popLast() }) { return ready }
        let crs = CRS(name: "", wkt: crsWKT, epsg: nil, projJSON: nil, isGeographic: false)
        return try Reprojector.toWGS84(from: crs)
    }
}
