import Synchronization
import SwathGeo

/// Reprojectors from scene CRSs to WGS84, kept for reuse: PROJ set-up costs
/// far more than a transform, and a Reprojector serves one thread at a time,
/// so each call borrows one and gives it back.
final class ReprojectorPool: Sendable {
    private let idle = Mutex<[String: [Reprojector]]>([:])

    func withReprojector<T>(from crsWKT: String, _ body: (Reprojector) throws -> T) throws -> T {
        let reprojector = try borrow(crsWKT)
        defer { idle.withLock { $0[crsWKT, default: []].append(reprojector) } }
        return try body(reprojector)
    }

    private func borrow(_ crsWKT: String) throws -> Reprojector {
        if let ready = idle.withLock({ $0[crsWKT]?.popLast() }) { return ready }
        let crs = CRS(name: "", wkt: crsWKT, epsg: nil, projJSON: nil, isGeographic: false)
        return try Reprojector.toWGS84(from: crs)
    }
}
