import Foundation

/// What the workbench shows an annotator about their own standing in a
/// project: qualification, this week's work, accuracy on gold.
public struct AnnotatorPageView: Encodable, Sendable {
    public var projectId: ProjectID
    public var codename: String
    public var standing: StandingView
    /// Monday 00:00 UTC of this week.
    public var weekStart: String
    public var tasksThisWeek: Int
    /// Gold tasks scored before today (UTC; qualification tests not counted) and their mean F1.
    public var goldTasks: Int
    public var goldF1: Double?
    public var currency: String?
}
