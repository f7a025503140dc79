/// An RFC 7946 FeatureCollection as it arrives.
public struct GeoJSONFeatureCollection: Decodable, Sendable {
    public var features: [GeoJSONFeature]

    enum CodingKeys: String, CodingKey { case type, features }

    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let type = try container.decode(String.self, forKey: .type)
        guard type == "FeatureCollection" else {
            throw DecodingError.dataCorruptedError(forKey: .type, in: container, debugDescription: "expected a FeatureCollection, got \(type)")
        }
        features = try container.decode([GeoJSONFeature].self, forKey: .features)
    }
}
