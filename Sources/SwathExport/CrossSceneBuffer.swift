import SwathGeo
import SwathLabels

/// Scenes can overlap on the ground (a pre- and a post-fire scene, two
/// passes). Chips of different scenes whose WGS84 outlines meet must share
/// a split; where they do not, both are dropped, like the in-scene buffer.
enum CrossSceneBuffer {
    static let epsilon = 1e-9

    /// Indices of the candidates to drop.
    static func conflicts(_ candidates: [SelectedChip]) throws -> Set<Int> {
        let order = candidates.indices.sorted { candidates[$0].footprint.bbox[0] < candidates[$1].footprint.bbox[0] }
        var dropped = Set<Int>()
        for (position, i) in order.enumerated() {
            let a = candidates[i], boxA = a.footprint.bbox
            for j in order[(position + 1)...] {
                let b = candidates[j], boxB = b.footprint.bbox
                if boxB[0] >= boxA[2] - epsilon { break }  // sorted by west edge: nothing further east can meet a
                // Outlines that only touch share no pixel.
                guard a.chip.sceneId != b.chip.sceneId, a.chip.split != b.chip.split,
                      boxB[1] < boxA[3] - epsilon, boxA[1] < boxB[3] - epsilon else { continue }
                // Bounding boxes of neighbours overlap wherever the grid is turned against lon/lat:
                // only a real shared area (GEOS) counts.
                let outlineA = a.outline, outlineB = b.outline
                guard try outlineA.intersection(outlineB).area > 1e-6 * min(outlineA.area, outlineB.area) else { continue }
                dropped.insert(i)
                dropped.insert(j)
            }
        }
        return dropped
    }
}
