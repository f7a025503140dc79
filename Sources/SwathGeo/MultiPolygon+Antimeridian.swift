extension MultiPolygon {
    /// The RFC 7946 bbox of a lon/lat shape, [west, south, east, north], with west > east when the shape crosses
    /// the antimeridian: a ring whose longitudes span more than 180° is read as one that crosses (each ring unwrapped
    /// from its first point), not as one that goes the long way round. nil for an empty shape.
    public var lonLatBounds: [Double]? {
        guard let plain = bounds else { return nil }
        // A shape that reaches a pole (closed along it, RFC 7946 §5.3) has every longitude there.
        if plain[1] == -90 || plain[3] == 90 { return [-180, plain[1], 180, plain[3]] }
        // Pieces already cut at the antimeridian, on both sides of it: west is where the eastern pieces begin.
        let lons = allPoints.map(\.x)
        if !spansAntimeridian, lons.contains(180), lons.contains(-180) {
            let eastern = polygons.filter { $0.exterior.reduce(0) { $0 + $1.x } > 0 }.flatMap { $0.exterior.map(\.x) }
            let western = polygons.filter { $0.exterior.reduce(0) { $0 + $1.x } <= 0 }.flatMap { $0.exterior.map(\.x) }
            return [eastern.min() ?? -180, plain[1], western.max() ?? 180, plain[3]]
        }
        guard spansAntimeridian else { return plain }
        let rings = polygons.flatMap(\.rings).map(FootprintRing.unwrapped)
        var west = rings.compactMap { $0.map(\.x).min() }.min() ?? plain[0]
        var east = rings.compactMap { $0.map(\.x).max() }.max() ?? plain[2]
        if west < -180 { west += 360 }
        if east > 180 { east -= 360 }
        return [west, plain[1], east, plain[3]]
    }

    /// True when some ring's longitudes span more than 180°: the sign of a
    /// shape that crossed the antimeridian and came back in pieces.
    public var spansAntimeridian: Bool {
        polygons.contains { polygon in
            polygon.rings.contains { ring in
                let lons = ring.map(\.x)
                return (lons.max() ?? 0) - (lons.min() ?? 0) > 180
            }
        }
    }
}
