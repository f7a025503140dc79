import Foundation
import SwathGeo
import SwathQuality

/// The quality report's view by cohort (vendor, team, region): per cohort its
/// tasks, flag rate (and by kind), gold F1, agreement and rework rate, overall
/// and by week; a cohort whose figures depart from everyone else's is
/// highlighted with the numbers that make it so. Annotators in no cohort are
/// a group of their own.
struct CohortReport {
    var submissions: [Submission]
    var flags: [FlagRecord]
    var gold: [GoldResult]
    var pairs: [PairAgreement]
    var rejections: [(userId: UserID, taskId: TaskID, at: Date)]
    var members: [UserID: CohortID]
    var codenames: [CohortID: String]

    /// A rate departs when two-proportion z reaches this and the rates differ by at least `rateGap`;
    /// a mean when Welch's t reaches it and the means differ by at least `meanGap`.
    static let threshold = 3.0
    static let rateGap = 0.05
    static let meanGap = 0.1

    /// The figures of one group of annotators over some of their work. `tasks` counts work handed in:
    /// current submissions and work a reviewer sent back (rejected k = 1 work is no longer a current submission).
    struct Figures {
        var tasks = 0
        var flagged = 0
        var flaggedByKind: [String: Int] = [:]
        var goldF1: [Double] = []
        var agreement: [Double] = []
        var reworked = 0

        var flagRate: Double? { tasks == 0 ? nil : Double(flagged) / Double(tasks) }
        var reworkRate: Double? { tasks == 0 ? nil : Double(reworked) / Double(tasks) }
    }

    func figures(of users: (UserID) -> Bool, in week: Date? = nil) -> Figures {
        var figures = Figures()
        let inWeek: (Date?) -> Bool = { date in week.map { week in date.map { CohortReport.weekStart($0) == week } ?? false } ?? true }
        var flagKinds: [[Int64]: Set<String>] = [:]
        for flag in flags where users(flag.userId) { if let task = flag.taskId { flagKinds[[task, flag.userId], default: []].insert(flag.kind.rawValue) } }
        var work = Set(submissions.filter { users($0.userId) && inWeek(handedIn($0)) }.map { [$0.taskId, $0.userId] })
        let sentBack = Set(rejections.filter { users($0.userId) && inWeek($0.at) }.map { [$0.taskId, $0.userId] })
        work.formUnion(sentBack)
        for pair in work {
            figures.tasks += 1
            if let kinds = flagKinds[pair] {
                figures.flagged += 1
                for kind in kinds { figures.flaggedByKind[kind, default: 0] += 1 }
            }
        }
        figures.reworked = sentBack.count
        figures.goldF1 = gold.filter { users($0.userId) && inWeek($0.createdAt) }.map(\.f1)
        // Agreements carry no date: a week's are those of the tasks the group handed in that week.
        let weekTasks = week.map { _ in Set(submissions.filter { users($0.userId) && inWeek(handedIn($0)) }.map(\.taskId)) }
        let mine = pairs.filter { (users($0.firstUser) || users($0.secondUser)) && (weekTasks?.contains($0.taskId) ?? true) }
        figures.agreement = QualityReport.pooledPerTaskPair(mine)
        return figures
    }

    var json: JSONValue {
        let groups: [CohortID?] = Array(Set(Set(submissions.map(\.userId) + gold.map(\.userId)).map { members[$0] }))
            .sorted { ($0 ?? .max) < ($1 ?? .max) }
        return .array(groups.map(group))
    }

    private func group(_ cohort: CohortID?) -> JSONValue {
        let inGroup: (UserID) -> Bool = { members[$0] == cohort }
        let mine = figures(of: inGroup)
        let rest = figures(of: { !inGroup($0) })
        let departures = Self.departures(mine, from: rest)
        let weeks = Set(submissions.filter { inGroup($0.userId) }.compactMap { handedIn($0).map(Self.weekStart) }
            + rejections.filter { inGroup($0.userId) }.map { Self.weekStart($0.at) }).sorted()
        let annotators = Set(submissions.map(\.userId) + gold.map(\.userId)).filter(inGroup)
        return .object([
            "cohort": cohort.flatMap { codenames[$0] }.map(JSONValue.string) ?? .null,
            "annotators": .number(Double(annotators.count)),
            "figures": Self.json(mine),
            "highlighted": .bool(!departures.isEmpty),
            "departures": .array(departures.map(JSONValue.string)),
            "weeks": .array(weeks.map { week in
                var fields = Self.fields(figures(of: inGroup, in: week))
                fields["week"] = .string(UTCDay.string(week))
                return .object(fields)
            }),
        ])
    }

    /// What sets a group apart from everyone else, in words and numbers; empty when nothing does.
    static func departures(_ group: Figures, from rest: Figures) -> [String] {
        var found: [String] = []
        if let line = rate("flag rate", group.flagged, group.tasks, rest.flagged, rest.tasks) { found.append(line) }
        if let line = rate("rework rate", group.reworked, group.tasks, rest.reworked, rest.tasks) {
            found.append(line)
        }
        if let line = mean("gold F1", group.goldF1, rest.goldF1) { found.append(line) }
        if let line = mean("agreement", group.agreement, rest.agreement) { found.append(line) }
        return found
    }

    static func rate(_ name: String, _ hits: Int, _ count: Int, _ restHits: Int, _ restCount: Int) -> String? {
        guard count > 0, restCount > 0 else { return nil }
        let p1 = Double(hits) / Double(count), p2 = Double(restHits) / Double(restCount)
        let pooled = Double(hits + restHits) / Double(count + restCount)
        let spread = (pooled * (1 - pooled) * (1 / Double(count) + 1 / Double(restCount))).squareRoot()
        guard spread > 0, abs(p1 - p2) >= rateGap else { return nil }
        let z = (p1 - p2) / spread
        guard abs(z) >= threshold else { return nil }
        return String(format: "%@ %.2f against %.2f for the other annotators (z = %.1f, %d of %d vs %d of %d)",
                      name, p1, p2, z, hits, count, restHits, restCount)
    }

    static func mean(_ name: String, _ values: [Double], _ rest: [Double]) -> String? {
        guard values.count >= 2, rest.count >= 2 else { return nil }
        func stats(_ v: [Double]) -> (mean: Double, variance: Double) {
            let m = v.reduce(0, +) / Double(v.count)
            return (m, v.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(v.count - 1))
        }
        let (m1, v1) = stats(values), (m2, v2) = stats(rest)
        guard abs(m1 - m2) >= meanGap else { return nil }
        let spread = (v1 / Double(values.count) + v2 / Double(rest.count)).squareRoot()
        let t = spread > 0 ? (m1 - m2) / spread : (m1 > m2 ? .infinity : -.infinity)
        guard abs(t) >= threshold else { return nil }
        return String(format: "%@ %.2f against %.2f for the other annotators (t = %.1f, %d vs %d values)", name, m1, m2, t, values.count, rest.count)
    }

    static func json(_ figures: Figures) -> JSONValue { .object(fields(figures)) }

    static func fields(_ figures: Figures) -> [String: JSONValue] {
        [
            "tasks": .number(Double(figures.tasks)),
            "flagRate": figures.flagRate.map(JSONValue.number) ?? .null,
            "flagRateByKind": .object(figures.flaggedByKind.mapValues { .number(Double($0) / Double(max(figures.tasks, 1))) }),
            "goldF1": QualityReport.mean(figures.goldF1),
            "goldTasks": .number(Double(figures.goldF1.count)),
            "agreement": QualityReport.mean(figures.agreement),
            "reworkRate": figures.reworkRate.map(JSONValue.number) ?? .null,
        ]
    }

    /// When a submission was handed in, as far as the record tells: its latest label, or its gold score
    /// (an empty submission); nil when neither says (it then counts overall but in no week).
    func handedIn(_ submission: Submission) -> Date? {
        submission.labels.map(\.createdAt).max()
            ?? gold.first { $0.taskId == submission.taskId && $0.userId == submission.userId }?.createdAt
    }

    static func weekStart(_ date: Date) -> Date {
        UTCDay.weekStart(date)
    }
}
