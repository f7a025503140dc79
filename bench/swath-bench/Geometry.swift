import Foundation

/// A 20-vertex circle inside a task, in lon/lat: bilinear interpolation of
/// the task's footprint corners (good to far below a pixel on a 64-pixel tile).
func circleCollection(in footprint: [String: Any]) -> [String: Any] {
    let ring = (footprint["coordinates"] as! [[[Double]]])[0]  // TL, BL, BR, TR, TL
    let (tl, bl, br, tr) = (ring[0], ring[1], ring[2], ring[3])
    func at(_ u: Double, _ v: Double) -> [Double] {
        (0..<2).map { i in
            let top = tl[i] + (tr[i] - tl[i]) * u, bottom = bl[i] + (br[i] - bl[i]) * u
            return top + (bottom - top) * v
        }
    }
    var points = (0..<19).map { k -> [Double] in
        let angle = Double(k) / 19 * 2 * .pi
        return at(0.5 + 0.3 * cos(angle), 0.5 + 0.3 * sin(angle))
    }
    points.append(points[0])  // 19 distinct + closing = 20 positions
    return ["type": "FeatureCollection", "features": [
        ["type": "Feature", "properties": ["class": "cropland"], "geometry": ["type": "Polygon", "coordinates": [points]]],
    ]]
}

/// Claimed tasks, recorded from many clients.
final class ClaimLog: @unchecked Sendable {
    struct Entry { var taskId: Int; var footprint: [String: Any]; var assignee: Int }
    private let lock = NSLock()
    private var entries: [Entry] = []

    func add(taskId: Int, footprint: [String: Any], assignee: Int) {
        lock.lock(); defer { lock.unlock() }
        entries.append(Entry(taskId: taskId, footprint: footprint, assignee: assignee))
    }

    var snapshot: [Entry] { lock.lock(); defer { lock.unlock() }; return entries }
}
