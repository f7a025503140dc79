/// The classes of a project, grouped (land cover, burn scar, structure…).
public struct Taxonomy: Codable, Equatable, Sendable {
    public var classes: [TaxonomyClass]

    public init(classes: [TaxonomyClass]) {
        self.classes = classes
    }

    /// Finds a class by its id (a number, or digits in a string) or its name
    /// (case-insensitive), as label features may give either.
    public func resolve(_ reference: String) -> TaxonomyClass? {
        if let id = Int(reference), let found = classes.first(where: { $0.id == id }) { return found }
        let lowered = reference.lowercased()
        return classes.first { $0.name.lowercased() == lowered }
    }

    public func resolve(id: Int) -> TaxonomyClass? { classes.first { $0.id == id } }

    /// Ids are positive and unique, names unique, colours "#rrggbb".
    public func validate() throws {
        guard !classes.isEmpty else { throw LabelingError.invalid("taxonomy has no classes") }
        var ids = Set<Int>(), names = Set<String>()
        for item in classes {
            guard (1...65_535).contains(item.id) else { throw LabelingError.invalid("class id \(item.id) must be 1…65535 (0 is background)") }
            guard ids.insert(item.id).inserted else { throw LabelingError.invalid("class id \(item.id) is used twice") }
            guard !item.name.isEmpty, names.insert(item.name.lowercased()).inserted else {
                throw LabelingError.invalid("class name '\(item.name)' is empty or used twice")
            }
            guard item.color.count == 7, item.color.first == "#", item.color.dropFirst().allSatisfy(\.isHexDigit) else {
                throw LabelingError.invalid("class '\(item.name)' colour '\(item.color)' is not #rrggbb")
            }
        }
    }
}
