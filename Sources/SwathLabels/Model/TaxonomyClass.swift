/// One class a label can have. `id` is the number written into masks
/// (0 is reserved for background).
public struct TaxonomyClass: Codable, Equatable, Sendable {
    public var id: Int
    public var name: String
    public var group: String
    /// "#rrggbb"
    public var color: String
    /// Attribute names a label of this class may carry (e.g. "floors").
    public var attributes: [String]

    public init(id: Int, name: String, group: String, color: String, attributes: [String] = []) {
        self.id = id
        self.name = name
        self.group = group
        self.color = color
        self.attributes = attributes
    }

    enum CodingKeys: String, CodingKey { case id, name, group, color, attributes }

    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        id = try container.decode(Int.self, forKey: .id)
        name = try container.decode(String.self, forKey: .name)
        group = try container.decode(String.self, forKey: .group)
        color = try container.decode(String.self, forKey: .color)
        attributes = try container.decodeIfPresent([String].self, forKey: .attributes) ?? []
    }
}
