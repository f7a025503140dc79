import Testing
import SwathSpread

/// IoU and F1 of the newly burned pixels, on masks small enough to count by hand.
@Suite struct SpreadSkillTests {
    /// "#": burned; rows joined.
    func mask(_ rows: String...) -> [Bool] { rows.joined().map { $0 == "#" } }

    @Test func scoresOnlyTheGroundThatBurnsNext() {
        let today = mask("#...", "#...")
        let tomorrow = mask("##..", "###.")        // new: (0,1), (1,1), (1,2) — 3 pixels
        let predicted = mask("##.#", "#...")        // new predicted: (0,1), (0,3) — 1 right, 1 wrong
        var skill = SpreadSkill()
        skill.add(today: today, tomorrow: tomorrow, predicted: predicted)
        #expect(skill == { var s = SpreadSkill(); s.truePositives = 1; s.falsePositives = 1; s.falseNegatives = 2; return s }())
        #expect(skill.iou == 1.0 / 4.0, "1 / (1 + 1 + 2)")
        #expect(skill.f1 == 2.0 / 5.0, "2 / (2 + 1 + 2)")
    }

    @Test func persistenceFindsNothingNew() {
        let today = mask("##..")
        var skill = SpreadSkill()
        skill.add(today: today, tomorrow: mask("###."), predicted: today)
        #expect(skill.iou == 0 && skill.f1 == 0)
        var quiet = SpreadSkill()
        quiet.add(today: today, tomorrow: today, predicted: today)
        #expect(quiet.iou == nil && quiet.f1 == nil, "no new burn and none predicted: nothing to score")
    }
}
