/// What a release may be: the rules both stores apply.
enum ReleaseRules {
    /// A release is cited by name: one name, one dataset, per project.
    static func nameTaken(_ name: String) -> LabelingError {
        LabelingError.conflict("the project already has a release named '\(name)'")
    }

    /// A document larger than this is refused (a project of millions of labels is released in parts).
    static let maximumDocumentBytes = 512 << 20
}
