import Foundation
import Testing
@testable import SwathLabels

/// The workforce's rules by hand: pay amounts and bonus bands, qualification
/// verdicts, when a cohort departs from the rest, and the payroll CSV's fields.
@Suite struct WorkforceRulesTests {
    let rates = PayRates(currency: "USD", perTask: 150, perLabel: 20, perHour: 1200,
                         bonusBands: [BonusBand(minimumGoldF1: 0.9, percent: 10), BonusBand(minimumGoldF1: 0.5, percent: 5)])

    @Test func payIsRateTimesWorkWithTheBandsBonusRoundedDown() {
        // 150 + 2 × 20 + 1200 × 1800 / 3600 = 790.
        #expect(PayRules.earnings(rates: rates, labels: 2, seconds: 1800, goldF1: nil).map(\.amount) == [790])
        #expect(PayRules.earnings(rates: rates, labels: 2, seconds: 1800, goldF1: 0.95).map(\.amount) == [790, 79])
        // 5 % of 790 = 39.5 → 39; below every band: no bonus.
        #expect(PayRules.earnings(rates: rates, labels: 2, seconds: 1800, goldF1: 0.6).map(\.amount) == [790, 39])
        #expect(PayRules.earnings(rates: rates, labels: 2, seconds: 1800, goldF1: 0.4).map(\.cause) == [.acceptance])
        // 1200 × 2 / 3600 = 0.67 → 0: whole minor units, never rounded up.
        #expect(PayRules.earnings(rates: rates, labels: 0, seconds: 2, goldF1: nil).map(\.amount) == [150])
        #expect(PayRules.earnings(rates: PayRates(currency: "EUR"), labels: 5, seconds: 99, goldF1: 1).isEmpty, "nothing to pay: no entry")
        #expect(PayRules.rollingGoldF1(recent: [0.8, 1.0], minimum: 3) == nil)
        #expect(PayRules.rollingGoldF1(recent: [0.8, 1.0], minimum: 2) == 0.9)
    }

    @Test func ratesNameWhatIsWrong() {
        #expect(PayRates(currency: "US").problem?.contains("pay.currency") == true)
        #expect(PayRates(currency: "USD", perTask: -1).problem?.contains("pay.perTask") == true)
        #expect(PayRates(currency: "USD", perHour: PayRates.maximumRate + 1).problem?.contains("pay.perHour") == true)
        #expect(PayRates(currency: "USD", bonusBands: [BonusBand(minimumGoldF1: 1.2, percent: 5)]).problem?
            .contains("pay.bonusBands[0].minimumGoldF1") == true)
        #expect(rates.problem == nil)
        #expect(QualificationSettings(tasksPerAttempt: 3, threshold: -0.1, attempts: 2).problem?.contains("qualification.threshold") == true)
    }

    @Test func payoutsCloseOnlyEndedPeriodsThatMeetNoOther() throws {
        #expect(throws: LabelingError.self) { try PayRules.checkPayout(from: 0, to: 86_400, now: 86_399, overlapping: nil) }
        #expect(throws: LabelingError.self) { try PayRules.checkPayout(from: 0, to: 86_400, now: 90_000, overlapping: (0, 86_400)) }
        try PayRules.checkPayout(from: 0, to: 86_400, now: 86_400, overlapping: nil)
    }

    @Test func qualificationPassesOnTheFirstGoodAttemptAndRemovesAfterTheLast() {
        let settings = QualificationSettings(tasksPerAttempt: 3, threshold: 0.7, attempts: 2)
        #expect(QualificationRules.verdict(f1: [], settings: settings).state == .applicant)
        // (1 + 1 + 0.2) / 3 = 0.733 ≥ 0.7.
        let passed = QualificationRules.verdict(f1: [1, 1, 0.2], settings: settings)
        #expect(passed.state == .qualified && passed.reason == "passed attempt 1 of 2: mean F1 0.73 over 3 tasks, threshold 0.70")
        let second = QualificationRules.verdict(f1: [0, 0, 0, 1, 1], settings: settings)
        #expect(second.state == .applicant && second.reason.hasSuffix("attempt 2 of 2: 2 of 3 qualification tasks done"))
        #expect(QualificationRules.verdict(f1: [0, 0, 0, 1, 1, 1], settings: settings).state == .qualified)
        let removed = QualificationRules.verdict(f1: [0, 0, 0, 0.5, 0.5, 0.5], settings: settings)
        #expect(removed.state == .removed && removed.reason.hasSuffix("no attempts left"))
    }

    @Test func aCohortDepartsOnlyWhenTheGapIsLargeAndSure() {
        var group = CohortReport.Figures(), rest = CohortReport.Figures()
        (group.tasks, group.flagged, rest.tasks, rest.flagged) = (100, 40, 100, 5)
        // Pooled 45/200 = 0.225; spread √(0.225 · 0.775 · (1/100 + 1/100)) = 0.05906; z = 0.35 / 0.05906 = 5.93.
        #expect(CohortReport.departures(group, from: rest)
            == ["flag rate 0.40 against 0.05 for the other annotators (z = 5.9, 40 of 100 vs 5 of 100)"])
        group.flagged = 6
        #expect(CohortReport.departures(group, from: rest).isEmpty, "6 % against 5 %: no departure")
        group.goldF1 = [0.4, 0.5, 0.45]
        rest.goldF1 = [0.9, 0.85, 0.95, 0.9]
        // Means 0.45 and 0.90; variances 0.0025 and 0.001667; spread √(0.0025/3 + 0.001667/4) = 0.035355; t = −12.7.
        #expect(CohortReport.departures(group, from: rest)
            == ["gold F1 0.45 against 0.90 for the other annotators (t = -12.7, 3 vs 4 values)"])
    }

    @Test func csvFieldsAreQuotedAndNeverFormulas() {
        #expect(PayrollStatement.field("=HYPERLINK(\"x\")") == "\"'=HYPERLINK(\"\"x\"\")\"")
        #expect(PayrollStatement.field("-1") == "'-1")
        #expect(PayrollStatement.field("Doe, Jane") == "\"Doe, Jane\"")
        #expect(PayrollStatement.field("plain") == "plain")
    }
}
