/// An RFC 7946 Feature as it arrives: geometry and properties kept as JSON
/// until the caller decides what they must be.
public struct GeoJSONFeature: Decodable, Sendable {
    public var id: JSONValue?
    public var geometry: JSONValue?
    public var properties: [String: JSONValue]

    enum CodingKeys: String, CodingKey { case type, id, geometry, properties }

    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let type = try container.decode(String.self, forKey: .type)
        guard type == "Feature" else {
            throw DecodingError.dataCorruptedError(forKey: .type, in: container, debugDescription: "expected a Feature, got \(type)")
        }
        id = try container.decodeIfPresent(JSONValue.self, forKey: .id)
        geometry = try container.decodeIfPresent(JSONValue.self, forKey: .geometry)
        properties = (try container.decodeIfPresent([String: JSONValue].self, forKey: .properties)) ?? [:]
    }
}
