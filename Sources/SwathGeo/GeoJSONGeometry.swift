/// An RFC 7946 Polygon or MultiPolygon of (longitude, latitude) positions.
public struct GeoJSONGeometry: Encodable, Equatable, Sendable {
    public var type: String
    /// Polygon: [ring][position][lon, lat]; MultiPolygon: one more level.
    public var polygons: [[[[Double]]]]

    public init(_ footprint: Footprint) {
        polygons = footprint.polygons.map { ring in [ring.map { [$0.x, $0.y] }] }
        type = polygons.count == 1 ? "Polygon" : "MultiPolygon"
    }

    /// A label's shape; written as a Polygon when it has one part.
    public init(_ shape: MultiPolygon) {
        polygons = shape.polygons.map { polygon in polygon.rings.map { ring in ring.map { [$0.x, $0.y] } } }
        type = polygons.count == 1 && !shape.isMulti ? "Polygon" : "MultiPolygon"
    }

    /// The same object as a `JSONValue`, to embed in documents built by hand.
    public var json: JSONValue {
        let parts = polygons.map { rings in
            JSONValue.array(rings.map { ring in .array(ring.map { .array($0.map(JSONValue.number)) }) })
        }
        return .object(["type": .string(type), "coordinates": type == "Polygon" ? parts[0] : .array(parts)])
    }

    enum CodingKeys: String, CodingKey { case type, coordinates }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(type, forKey: .type)
        if type == "Polygon" {
            try container.encode(polygons[0], forKey: .coordinates)
        } else {
            try container.encode(polygons, forKey: .coordinates)
        }
    }
}
