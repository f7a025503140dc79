/// An RFC 7946 Feature as it arrives: geometry and properties kept as JSON
/// until the caller decides what they must be.
public struct GeoJSONFeature: Decodable, Sendable {
    public var id: JSONValue?
    public var geometry: JSONValue?
    public var properties: [String: JSONValue]

    enum CodingKeys: String, CodingKey { case type, id, geometry, properties }

    /// From already-parsed JSON (the fast path for request bodies).
    public init(json: JSONValue) throws {
        guard case .object(let object) = json else { throw GeometryProblem("a feature must be a JSON object") }
        guard case .string("Feature")? = object["type"] else { throw GeometryProblem("a feature's type must be \"Feature\"") }
        id = object["id"]
        geometry = object["geometry"]
        switch object["properties"] {
        case .object(let properties)?: self.properties = properties
        case nil, .null?: properties = [:]
        default: throw GeometryProblem("a feature's properties must be an object or null")
        }
    }

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
