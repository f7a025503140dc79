import Foundation

/// A project's pay for a period, per annotator and per cohort, for managers
/// and payroll. The annotators' lines add up to the total, and so do the
/// cohorts' (annotators in no cohort are a line of their own).
public struct PayrollStatement: Encodable, Sendable {
    public struct Line: Encodable, Sendable {
        public var userId: UserID
        public var name: String
        public var cohort: String?
        public var totals: PayTotal
    }

    public struct CohortLine: Encodable, Sendable {
        /// nil: annotators in no cohort.
        public var cohort: String?
        public var annotators: Int
        public var acceptance: Int
        public var bonus: Int
        public var reversal: Int
        public var net: Int
        public var paid: Int
        public var tasks: Int
    }

    public var projectId: ProjectID
    public var codename: String
    /// yyyy-MM-dd, both days included.
    public var from: String
    public var to: String
    public var currency: String?
    public var annotators: [Line]
    public var cohorts: [CohortLine]
    public var total: Int
    public var paid: Int
    public var unpaid: Int
}
