import Foundation
import Testing
import SwathSpread

/// Whole fires in one split each, in the shares asked for; by time, by each fire's first observation.
@Suite struct SpreadSplitTests {
    let day0 = Date(timeIntervalSince1970: 1_785_542_400)  // 2026-08-01

    @Test func byFireEveryFireInOneSplitInTheShares() throws {
        let split = try SpreadSplit(argument: "fire:0.6,0.2,0.2", seed: 7)
        let fires = (1...10).map { (id: $0, firstObserved: day0) }
        let assigned = split.assign(fires)
        #expect(Set(assigned.keys) == Set(1...10))
        let counts = Dictionary(grouping: assigned.values, by: { $0 }).mapValues(\.count)
        #expect(counts == ["train": 6, "validation": 2, "test": 2])
        #expect(split.assign(fires) == assigned, "the same seed, the same split")
        #expect(try SpreadSplit(argument: "fire:0.6,0.2,0.2", seed: 8).assign(fires) != assigned, "another seed, another draw")
    }

    @Test func byTimeFromTheFirstObservation() throws {
        let split = try SpreadSplit(argument: "time:2026-08-10,2026-08-20")
        let fires = [(id: 1, firstObserved: day0), (id: 2, firstObserved: day0.addingTimeInterval(12 * 86_400)),
                     (id: 3, firstObserved: day0.addingTimeInterval(19 * 86_400 + 86_399)), (id: 4, firstObserved: day0.addingTimeInterval(19 * 86_400))]
        #expect(split.assign(fires) == [1: "train", 2: "validation", 3: "test", 4: "test"])
    }

    @Test(arguments: ["fire:0.7,0.2", "fire:0.7,0.2,0.2", "fire:-0.1,0.6,0.5", "time:2026-13-01", "time:2026-08-20,2026-08-10", "space:1", "fire"])
    func badSplitsSayWhy(_ argument: String) {
        #expect(throws: SpreadError.self) { try SpreadSplit(argument: argument) }
    }
}
