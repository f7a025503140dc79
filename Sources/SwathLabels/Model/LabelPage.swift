/// One page of a project's labels: those with an id above `after`, at most
/// `limit` of them, in id order. The last label's id is the next page's `after`.
public struct LabelPage: Equatable, Sendable {
    public static let defaultLimit = 1000
    public static let maximumLimit = 10_000

    public var after: LabelID
    public var limit: Int

    public init(after: LabelID = 0, limit: Int = LabelPage.defaultLimit) {
        self.after = after
        self.limit = limit
    }
}
