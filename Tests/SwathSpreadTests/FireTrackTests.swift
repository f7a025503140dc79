import Foundation
import Testing
import SwathGeo
import SwathSpread

/// Fires followed through dated burn labels, areas counted by hand (metres, a projected CRS).
@Suite struct FireTrackTests {
    let day0 = Date(timeIntervalSince1970: 1_785_542_400)
    func day(_ n: Double) -> Date { day0.addingTimeInterval(n * 86_400) }
    func box(_ west: Double, _ east: Double, south: Double = 0, north: Double = 100) -> MultiPolygon {
        .rectangle(minX: west, minY: south, maxX: east, maxY: north)
    }

    @Test func perimetersAreCumulativeAndFiresSeparate() throws {
        let burns = [
            DatedBurn(time: day(0), shape: box(0, 100), sceneId: 1),
            DatedBurn(time: day(2), shape: box(0, 200), sceneId: 2),
            // Day 5's analyst outlined only the new ground: the perimeter still holds what burned before.
            DatedBurn(time: day(5), shape: box(200, 300), sceneId: 3),
            DatedBurn(time: day(1), shape: box(1000, 1100), sceneId: 2),
        ]
        let tracks = try FireTrack.tracks(from: burns)
        #expect(tracks.count == 2)
        let first = try #require(tracks.first)
        #expect(first.id == 1 && first.observations.map(\.time) == [day(0), day(2), day(5)])
        #expect(first.observations.map { $0.perimeter.area } == [10_000, 20_000, 30_000])
        #expect(first.observations.map(\.sceneIds) == [[1], [2], [3]])
        #expect(first.pairs.map { $0.tomorrow.time.timeIntervalSince($0.today.time) / 86_400 } == [2, 3], "gaps in days")
        #expect(tracks[1].id == 2 && tracks[1].observations.count == 1 && tracks[1].pairs.isEmpty)
    }

    @Test func firesThatMergeAreOneFireFromTheStart() throws {
        let tracks = try FireTrack.tracks(from: [
            DatedBurn(time: day(0), shape: box(0, 100), sceneId: 1),
            DatedBurn(time: day(0), shape: box(150, 250), sceneId: 1),
            DatedBurn(time: day(2), shape: box(0, 250), sceneId: 2),
        ])
        #expect(tracks.count == 1)
        #expect(tracks[0].observations.map { $0.perimeter.area } == [20_000, 25_000])
    }

    @Test func oneDateIsNoSpreadPairs() {
        #expect(throws: SpreadError("no spread pairs: none of the 2 fire(s) is labeled on two dates (1 date(s) labeled in all)")) {
            try FireTrack.tracks(from: [DatedBurn(time: day(0), shape: box(0, 100), sceneId: 1),
                                        DatedBurn(time: day(0), shape: box(500, 600), sceneId: 1)])
        }
        #expect(throws: SpreadError("no spread pairs: the project has no dated burn-scar labels")) { try FireTrack.tracks(from: []) }
    }
}
