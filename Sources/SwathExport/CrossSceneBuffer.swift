import SwathGeo
import SwathLabels

/// Scenes can overlap on the ground (a pre- and a post-fire scene, two
/// passes). Chips of different scenes whose WGS84 outlines meet must share
/// a split; where they do not, both are dropped, like the in-scene buffer.
enum CrossSceneBuffer {
    struct Candidate {
        var chip: ChipSlot
        var bbox: [Double]  // west, south, east, north
        var outline: MultiPolygon  // WGS84
    }

    static let epsilon = 1e-9

    /// Indices of the candidates to drop.
    static func conflicts(_ candidates: [Candidate]) -> Set<Int> {
        let order = candidates.indices.sorted { candidates[$0].bbox[0] < candidates[$1].bbox[0] }
        var dropped = Set<Int>()
        for (position, i) in order.enumerated() {
            let a = candidates[i]
            for j in order[(position + 1)...] {
                let b = candidates[j]
                if b.bbox[0] >= a.bbox[2] - epsilon { break }  // sorted by west edge: nothing further east can meet a
                // Outlines that only touch share no pixel.
                guard a.chip.sceneId != b.chip.sceneId, a.chip.split != b.chip.split,
                      b.bbox[1] < a.bbox[3] - epsilon, a.bbox[1] < b.bbox[3] - epsilon else { continue }
                // Bounding boxes of neighbours overlap wherever the grid is turned against lon/lat:
                // only a real shared area (GEOS) counts.
                let shared = a.outline.intersection(b.outline).area
                guard shared > 1e-6 * min(a.outline.area, b.outline.area) else { continue }
                dropped.insert(i)
                dropped.insert(j)
            }
        }
        return dropped
    }
}
