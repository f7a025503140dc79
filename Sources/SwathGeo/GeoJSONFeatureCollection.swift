/// An RFC 7946 FeatureCollection as it arrives.
public struct GeoJSONFeatureCollection: Decodable, Sendable {
    public var features: [GeoJSONFeature]

    enum CodingKeys: String, CodingKey { case type, features }

    /// From already-parsed JSON; throws `GeometryProblem` naming what is wrong.
    public init(json: JSONValue) throws {
        guard case .object(let object) = json, case .string("FeatureCollection")? = object["type"] else {
            throw GeometryProblem("the body must be a GeoJSON FeatureCollection")
        }
        guard case .array(let features)? = object["features"] else {
            throw GeometryProblem("a FeatureCollection needs a features array")
        }
        self.features = try features.enumerated().map { index, feature in
            do { return try GeoJSONFeature(json: feature) } catch let problem as GeometryProblem {
                throw GeometryProblem("feature \(index): \(problem.reason)")
            }
        }
    }

    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let type = try container.decode(String.self, forKey: .type)
        guard type == "FeatureCollection" else {
            throw DecodingError.dataCorruptedError(forKey: .type, in: container, debugDescription: "expected a FeatureCollection, got \(type)")
        }
        features = try container.decode([GeoJSONFeature].self, forKey: .features)
    }
}
