import Foundation

/// A release before it has an id: its document is written once, with it.
public struct ReleaseDraft: Sendable {
    public var projectId: ProjectID
    public var name: String
    public var labelCount: Int
    public var chipCount: Int
    public var digest: String
    /// The frozen dataset as JSON (`ReleaseDocument` in SwathExport); opaque to the store.
    public var document: String

    public init(projectId: ProjectID, name: String, labelCount: Int, chipCount: Int, digest: String, document: String) {
        self.projectId = projectId
        self.name = name
        self.labelCount = labelCount
        self.chipCount = chipCount
        self.digest = digest
        self.document = document
    }

    /// Names are what trainers cite: short, printable, no path separators.
    public static func checkName(_ name: String) throws {
        guard (1...100).contains(name.count),
              name.unicodeScalars.allSatisfy({ $0.properties.isAlphabetic || ("0"..."9").contains($0) || "-_.+ ".unicodeScalars.contains($0) }),
              name.first != " ", name.last != " ", name != ".", name != ".." else {
            throw LabelingError.invalid("release name '\(name.prefix(100))' must be 1 to 100 letters, digits, spaces or - _ . +")
        }
    }
}
