/// One output of a classifier: its index in XGBoost's probabilities and the taxonomy class it is.
/// Class id 0 is the background: ground inside accepted tasks that no label covers.
public struct ModelClass: Codable, Equatable, Sendable {
    public var index: Int
    public var classId: Int
    public var name: String

    public static let backgroundId = 0

    public init(index: Int, classId: Int, name: String) {
        self.index = index
        self.classId = classId
        self.name = name
    }

    public var isBackground: Bool { classId == Self.backgroundId }
}
