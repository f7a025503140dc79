import Foundation

/// Pay: the ledger is written by the store when work is accepted; here are
/// the statements (an annotator's own, a project's payroll) and payouts.
extension LabelingService {
    /// The service's clock (a test's clock in tests): statements default to periods ending today by it.
    public var currentDate: Date { now() }

    /// The caller's own earnings by day over every project they were paid in.
    public func earnings(period: PayPeriod, for caller: User) async throws -> EarningsStatement {
        let days = try await store.earnings(userId: caller.id, from: period.from, to: period.to)
        var codenames: [ProjectID: String] = [:]
        for id in Set(days.map(\.projectId)) { codenames[id] = try await store.project(id: id)?.codename ?? "project \(id)" }
        let lines = days.map { day in
            EarningsStatement.Day(day: day.day, project: codenames[day.projectId] ?? "", currency: day.currency, tasks: day.tasks,
                                  acceptance: day.acceptance, bonus: day.bonus, reversal: day.reversal, approved: day.net, paid: day.paid,
                                  pending: day.net - day.paid)
        }
        let totals = Dictionary(grouping: lines, by: \.currency).sorted { $0.key < $1.key }.map { currency, lines in
            EarningsStatement.Total(currency: currency, approved: lines.reduce(0) { $0 + $1.approved }, paid: lines.reduce(0) { $0 + $1.paid },
                                    pending: lines.reduce(0) { $0 + $1.pending })
        }
        return EarningsStatement(from: period.fromDay, to: period.toDay, days: lines, totals: totals)
    }

    /// A project's payroll for a period, per annotator and per cohort (managers).
    public func payroll(projectId: ProjectID, period: PayPeriod, by caller: User) async throws -> PayrollStatement {
        let (project, access) = try await access(caller, projectId: projectId)
        try access.require(.manager, to: "reading the payroll")
        let totals = try await store.payTotals(projectId: projectId, from: period.from, to: period.to)
        let cohorts = Dictionary(uniqueKeysWithValues: try await store.cohorts().map { ($0.id, $0.codename) })
        let members = try await store.cohortMembers()
        let names = try await store.userNames(totals.map(\.userId))
        let lines = totals.map { total in
            PayrollStatement.Line(userId: total.userId, name: names[total.userId] ?? "user \(total.userId)",
                                  cohort: members[total.userId].flatMap { cohorts[$0] }, totals: total)
        }
        let byCohort = Dictionary(grouping: lines, by: \.cohort).sorted { ($0.key ?? "\u{10FFFF}") < ($1.key ?? "\u{10FFFF}") }.map { cohort, lines in
            PayrollStatement.CohortLine(cohort: cohort, annotators: lines.count, acceptance: lines.reduce(0) { $0 + $1.totals.acceptance },
                                        bonus: lines.reduce(0) { $0 + $1.totals.bonus }, reversal: lines.reduce(0) { $0 + $1.totals.reversal },
                                        net: lines.reduce(0) { $0 + $1.totals.net }, paid: lines.reduce(0) { $0 + $1.totals.paid },
                                        tasks: lines.reduce(0) { $0 + $1.totals.tasks })
        }
        let net = totals.reduce(0) { $0 + $1.net }, paid = totals.reduce(0) { $0 + $1.paid }
        return PayrollStatement(projectId: projectId, codename: project.codename, from: period.fromDay, to: period.toDay,
                                currency: totals.first?.currency ?? project.settings.pay?.currency, annotators: lines, cohorts: byCohort,
                                total: net, paid: paid, unpaid: net - paid)
    }

    /// Closes a period (managers): nothing dated in it changes afterwards. A period that has not
    /// ended, or that meets a closed one, is a conflict.
    public func closePayout(projectId: ProjectID, period: PayPeriod, by caller: User) async throws -> Payout {
        let (_, access) = try await access(caller, projectId: projectId)
        try access.require(.manager, to: "closing pay periods")
        return try await store.createPayout(projectId: projectId, from: period.from, to: period.to, actor: caller.auditId, at: now())
    }

    public func payouts(projectId: ProjectID, by caller: User) async throws -> [Payout] {
        let (_, access) = try await access(caller, projectId: projectId)
        try access.require(.manager, to: "reading payouts")
        return try await store.payouts(projectId: projectId)
    }
}
