extension PayrollStatement {
    /// One line per annotator, then one per cohort, then the total: what a
    /// payroll system imports. Amounts in minor units of `currency`.
    public var csv: String {
        var lines = ["kind,user_id,name,cohort,currency,tasks,labels,hours,acceptance,bonus,reversal,net,paid,unpaid"]
        let currency = self.currency ?? ""
        for line in annotators {
            let t = line.totals
            lines.append(["annotator", String(line.userId), Self.field(line.name), Self.field(line.cohort ?? ""), t.currency, String(t.tasks),
                          String(t.labels), String(format: "%.3f", t.seconds / 3600), String(t.acceptance), String(t.bonus),
                          String(t.reversal), String(t.net), String(t.paid), String(t.unpaid)].joined(separator: ","))
        }
        for cohort in cohorts {
            lines.append(["cohort", "", "", Self.field(cohort.cohort ?? "(none)"), currency, String(cohort.tasks), "", "", String(cohort.acceptance),
                          String(cohort.bonus), String(cohort.reversal), String(cohort.net), String(cohort.paid),
                          String(cohort.net - cohort.paid)].joined(separator: ","))
        }
        lines.append(["total", "", "", "", currency, "", "", "", "", "", "", String(total), String(paid), String(unpaid)].joined(separator: ","))
        return lines.joined(separator: "\n") + "\n"
    }

    /// Quoted when it must be, and never read as a formula by a spreadsheet (a name starting with =, +, - or @).
    static func field(_ text: String) -> String {
        var value = text
        if let first = value.first, "=+-@\t\r".contains(first) { value = "'" + value }
        guard value.contains(where: { ",\"\n\r".contains($0) }) else { return value }
        return "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
