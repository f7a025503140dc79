import Foundation
import SwathGeo
@testable import SwathQuality
import Testing

/// Consensus agreement, disagreement regions, boundary F1, gold scores and the
/// collusion and same-class checks, each against numbers worked out by hand.
@Suite struct ConsensusCheckTests {
    static func shape(_ classId: Int, _ x: Double, _ y: Double, _ size: Double = 10) -> ClassedShape {
        ClassedShape(classId: classId, geometry: AgreementTests.square(x, y, size))
    }

    @Test func agreementIsTheMeanPairwiseF1() throws {
        let a = [Self.shape(1, 0, 0)], b = [Self.shape(1, 5, 0)]  // IoU 50/150: no match
        #expect(try Consensus.agreement([a, a]) == 1)
        #expect(try Consensus.agreement([a, b]) == 0)
        #expect(try abs(Consensus.agreement([a, a, b]) - 1.0 / 3) < 1e-12, "pairs score 1, 0, 0")
        #expect(try Consensus.agreement([[], []]) == 1, "nothing drawn by either: they agree")
    }

    @Test func disagreementIsWhatSomeButNotAllAnnotatorsDrew() throws {
        // Two annotators: union 150 − shared 50 → two 5 × 10 strips.
        let strips = try Consensus.disagreement([[Self.shape(1, 0, 0)], [Self.shape(1, 5, 0)]])
        #expect(strips.count == 2 && strips.allSatisfy { abs($0.geometry.area - 50) < 1e-9 })
        // A third who drew only class 2: nobody shares all of class 1 (all 150 disputed), nor class 2 (all 100).
        let regions = try Consensus.disagreement([[Self.shape(1, 0, 0)], [Self.shape(1, 5, 0)], [Self.shape(2, 0, 0)]])
        let classOne = regions.filter { $0.classId == 1 }, classTwo = regions.filter { $0.classId == 2 }
        #expect(classOne.count == 1 && abs(classOne[0].geometry.area - 150) < 1e-9)
        #expect(classTwo.count == 1 && abs(classTwo[0].geometry.area - 100) < 1e-9)
        #expect(try Consensus.disagreement([[Self.shape(1, 0, 0)]]).isEmpty, "one annotator cannot disagree")
    }

    @Test func boundaryF1OfAShiftedSquare() throws {
        // Shifted 1 unit with a 0.5 tolerance: of each 40-unit outline, the two
        // horizontal edges are near the other's for 9.5 units and each
        // vertical edge for 0.5 at both ends of one side: 20 of 40 → F1 0.5.
        let f1 = try BoundaryAgreement.f1(reference: [Self.shape(1, 0, 0)], candidate: [Self.shape(1, 1, 0)], tolerance: 0.5)
        #expect(abs(f1 - 0.5) < 1e-6)
        #expect(try BoundaryAgreement.f1(reference: [Self.shape(1, 0, 0)], candidate: [Self.shape(1, 0, 0)], tolerance: 0.5) == 1)
        #expect(try BoundaryAgreement.f1(reference: [Self.shape(1, 0, 0)], candidate: [Self.shape(2, 0, 0)], tolerance: 0.5) == 0,
                "the right outline with the wrong class traces nothing")
        #expect(try BoundaryAgreement.f1(reference: [], candidate: [], tolerance: 0.5) == 1)
    }

    @Test func goldScorePoolsClasses() throws {
        // Class 1 matched (IoU 90/110), class 2 missed: F1 = 2·1 / (2·1 + 1).
        let score = try GoldScore(reference: [Self.shape(1, 0, 0), Self.shape(2, 50, 50)], submission: [Self.shape(1, 1, 0)],
                              boundaryTolerance: 0.5)
        #expect(abs(score.f1 - 2.0 / 3) < 1e-12)
        #expect(score.boundaryF1 > 0 && score.boundaryF1 < 1)
    }

    @Test func identicalSubmissionsAreFoundInAnyOrderButJitterIsNot() throws {
        let first = [Self.shape(1, 0, 0), Self.shape(2, 30, 30, 12)]
        #expect(try IdenticalWork.areIdentical(first, first.reversed(), tolerance: 0.1))
        #expect(try !IdenticalWork.areIdentical(first, [Self.shape(1, 0, 0), Self.shape(2, 30.6, 30, 12)], tolerance: 0.1), "redrawn by hand")
        #expect(try !IdenticalWork.areIdentical(first, [Self.shape(1, 0, 0), Self.shape(1, 30, 30, 12)], tolerance: 0.1), "other class")
        #expect(try !IdenticalWork.areIdentical([], [], tolerance: 0.1), "two empty submissions are not collusion")
    }

    @Test func sameClassRunsAreJudgedAgainstTheProject() throws {
        let mine = Array(repeating: Set([1]), count: 8)
        let common = (0..<10).map { $0 < 5 ? Set([1]) : Set([2]) }  // half the project is class 1 only: 0.5⁸ = 0.0039
        #expect(ClassMonotony().check(mine: mine, others: common) == nil)
        let rare = (0..<10).map { $0 < 2 ? Set([1]) : Set([1, 2]) }  // 0.2⁸ = 2.56e-6
        let flag = ClassMonotony().check(mine: mine, others: rare)
        #expect(flag?.kind == .degenerateWork)
        #expect(flag?.evidence == "class 1 on all 8 submitted tasks; 20% of other annotators' tasks use only that class, so the chance of this run is 2.6e-06")
        #expect(ClassMonotony().check(mine: Array(mine.prefix(7)), others: rare) == nil, "too few tasks to say")
        #expect(ClassMonotony().check(mine: mine, others: Array(repeating: Set([1]), count: 5)) == nil, "a one-class project")
    }

    @Test func displacedWorkIsMostlyOutsideTheTile() throws {
        let flag = WorkChecks().displaced(keptArea: 4, drawnArea: 100)
        #expect(flag?.kind == .displacedWork)
        #expect(flag?.evidence == "only 4.0% of the polygon as drawn lies in the task's tile (4 of 100 square units)")
        #expect(WorkChecks().displaced(keptArea: 40, drawnArea: 100) == nil)
        #expect(WorkChecks().displaced(keptArea: 0, drawnArea: 0) == nil)
    }
}
