/// Reads a GeoJSON geometry object into a `MultiPolygon`, refusing what a
/// label cannot be, with the reason: another geometry type, unclosed rings,
/// fewer than three distinct vertices, non-finite numbers, too many vertices.
/// Topology (self-intersection) is GEOS's job: see `validityProblem`.
public struct GeoJSONPolygonReader: Sendable {
    public var maximumVertices: Int

    public init(maximumVertices: Int = 20_000) {
        self.maximumVertices = maximumVertices
    }

    public func read(_ geometry: JSONValue?) throws -> MultiPolygon {
        guard case .object(let object)? = geometry else { throw GeometryProblem("feature has no geometry") }
        guard case .string(let type)? = object["type"] else { throw GeometryProblem("geometry has no type") }
        let coordinates = object["coordinates"]
        let shape: MultiPolygon
        switch type {
        case "Polygon":
            shape = MultiPolygon(try polygon(coordinates, label: "polygon"))
        case "MultiPolygon":
            guard case .array(let parts)? = coordinates, !parts.isEmpty else {
                throw GeometryProblem("MultiPolygon coordinates must be a non-empty array of polygons")
            }
            shape = MultiPolygon(try parts.enumerated().map { try polygon($1, label: "polygon \($0 + 1)") }, isMulti: true)
        default:
            throw GeometryProblem("geometry type \(type) is not Polygon or MultiPolygon")
        }
        guard shape.vertexCount <= maximumVertices else {
            throw GeometryProblem("geometry has \(shape.vertexCount) vertices, more than the \(maximumVertices) allowed")
        }
        return shape
    }

    private func polygon(_ value: JSONValue?, label: String) throws -> Polygon {
        guard case .array(let rings)? = value, !rings.isEmpty else {
            throw GeometryProblem("\(label): coordinates must be a non-empty array of rings")
        }
        return Polygon(rings: try rings.enumerated().map { index, ring in
            try self.ring(ring, label: "\(label), \(index == 0 ? "exterior ring" : "hole \(index)")")
        })
    }

    private func ring(_ value: JSONValue, label: String) throws -> [Point] {
        guard case .array(let positions) = value else { throw GeometryProblem("\(label) is not an array of positions") }
        let points = try positions.map { position -> Point in
            guard case .array(let numbers) = position, numbers.count >= 2,
                  case .number(let x) = numbers[0], case .number(let y) = numbers[1] else {
                throw GeometryProblem("\(label) has a position that is not [x, y]")
            }
            guard x.isFinite, y.isFinite else { throw GeometryProblem("\(label) has a coordinate that is not a finite number") }
            return Point(x: x, y: y)
        }
        guard points.count >= 2, points.first == points.last else {
            throw GeometryProblem("\(label) is not closed (its last position must repeat the first)")
        }
        guard Set(points).count >= 3 else {
            throw GeometryProblem("\(label) has fewer than 3 distinct vertices")
        }
        return points
    }
}
