import Foundation
import SwathGeo

/// One fire followed through time: the separate polygon it makes in the union
/// of every dated burn, and its perimeter at each date it was observed —
/// cumulative (ground that burned stays burned, whatever a later label left
/// out) and cut to the fire's own footprint, so a neighbour's burn is never
/// counted. Fires that merge later are one fire from the start.
public struct FireTrack: Sendable {
    public struct Observation: Sendable {
        public var time: Date
        public var perimeter: MultiPolygon
        /// The scenes labeled at this time (the inputs of a sample come from them).
        public var sceneIds: [Int64]
    }

    /// 1, 2, … in order of first observation (then west to east), stable for a given set of labels.
    public var id: Int
    public var footprint: MultiPolygon
    public var observations: [Observation]

    /// Consecutive observations (tᵢ, tᵢ₊₁): what a spread model learns from.
    public var pairs: [(today: Observation, tomorrow: Observation)] {
        zip(observations, observations.dropFirst()).map { (today: $0, tomorrow: $1) }
    }

    /// The fires in `burns` (all in one CRS). Throws `SpreadError` when no fire is labeled on two dates:
    /// with one date there is nothing to learn spread from.
    public static func tracks(from burns: [DatedBurn]) throws -> [FireTrack] {
        let burned = burns.filter { !$0.shape.isEmpty }
        guard !burned.isEmpty else { throw SpreadError("no spread pairs: the project has no dated burn-scar labels") }
        let union = try MultiPolygon.union(burned.map(\.shape))
        var tracks: [FireTrack] = []
        for polygon in union.polygons {
            let footprint = MultiPolygon(polygon)
            let mine = try burned.filter { try !$0.shape.intersection(footprint).isEmpty }
            let times = Array(Set(mine.map(\.time))).sorted()
            var observations: [Observation] = []
            for time in times {
                let upToNow = mine.filter { $0.time <= time }
                let perimeter = try MultiPolygon.union(upToNow.map(\.shape)).intersection(footprint)
                let scenes = Array(Set(mine.filter { $0.time == time }.map(\.sceneId))).sorted()
                observations.append(Observation(time: time, perimeter: perimeter, sceneIds: scenes))
            }
            tracks.append(FireTrack(id: 0, footprint: footprint, observations: observations))
        }
        tracks.sort { a, b in
            let (ta, tb) = (a.observations.first?.time ?? .distantPast, b.observations.first?.time ?? .distantPast)
            return ta != tb ? ta < tb : (a.footprint.bounds?[0] ?? 0) < (b.footprint.bounds?[0] ?? 0)
        }
        for index in tracks.indices { tracks[index].id = index + 1 }
        guard tracks.contains(where: { $0.observations.count >= 2 }) else {
            throw SpreadError("no spread pairs: none of the \(tracks.count) fire(s) is labeled on two dates (\(Set(burned.map(\.time)).count) date(s) labeled in all)")
        }
        return tracks
    }
}
