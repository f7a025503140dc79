/// Shapes between a projected CRS and RFC 7946 lon/lat at the edges of the
/// map: a shape that crosses the antimeridian comes out cut at ±180°
/// (§3.1.9), one that goes round a pole comes out closed along it (§5.3);
/// and the same cuts and closures going in are merged back into one shape.
extension MultiPolygon {
    /// This shape (in `toWGS84`'s source CRS) in lon/lat, right-handed. Every
    /// vertex is the reprojected vertex, untouched; only the cuts at ±180°
    /// and the closure along a pole add vertices. Whether a ring goes round a
    /// pole is asked of the ring in its own CRS (the pole taken there by
    /// PROJ, then point-in-polygon by GEOS), not guessed from longitudes.
    public func toLonLat(with toWGS84: Reprojector) throws -> MultiPolygon {
        let plain = try mapAll(toWGS84.forward)
        let poles = polygons.map { polygon in polygon.rings.map { Self.poleInside($0, poles: toWGS84.polesInSource) } }
        // A geographic scene that runs past 180° (its longitudes beyond it) is cut there too.
        let beyond = plain.allPoints.contains { abs($0.x) > 180 }
        guard plain.spansAntimeridian || beyond || poles.joined().contains(where: { $0 != 0 }) else { return plain.rightHanded }
        var parts: [Polygon] = []
        for (index, polygon) in polygons.enumerated() {
            let rings = try polygon.rings.indices.map { ring in
                try Self.cut(Self.withCrossings(polygon.rings[ring], lonLat: plain.polygons[index].rings[ring], toWGS84: toWGS84),
                             pole: poles[index][ring])
            }
            var shape = rings[0]
            for hole in rings.dropFirst() { shape = try shape.difference(hole) }
            parts += shape.polygons
        }
        // Cutting shifts pieces by whole turns and back, which can move a longitude by an ulp: the reprojected
        // vertex itself goes out (latitudes are never shifted, so they find it).
        let reprojected = Dictionary(grouping: plain.allPoints, by: \.y)
        let exact = MultiPolygon(parts, isMulti: parts.count > 1 || isMulti).map { point in
            reprojected[point.y]?.first { abs($0.x - point.x) < 1e-9 } ?? point
        }
        return exact.rightHanded
    }

    /// The lon/lat ring with a vertex added where an edge crosses ±180°: the
    /// point of the straight edge in the source CRS at that meridian (found by
    /// bisection through PROJ, as GDAL's own cut finds it), so the pieces meet
    /// on the shape's real outline and go back to it unchanged.
    static func withCrossings(_ ring: [Point], lonLat: [Point], toWGS84: Reprojector) throws -> [Point] {
        var result: [Point] = []
        for index in lonLat.indices {
            result.append(lonLat[index])
            guard index + 1 < lonLat.count, abs(lonLat[index + 1].x - lonLat[index].x) > 180 else { continue }
            result.append(try crossing(from: ring[index], to: ring[index + 1], startLongitude: lonLat[index].x, toWGS84: toWGS84))
        }
        return result
    }

    private static func crossing(from a: Point, to b: Point, startLongitude: Double, toWGS84: Reprojector) throws -> Point {
        let meridian: Double = startLongitude > 0 ? 180 : -180
        var near = 0.0, far = 1.0
        var latitude = 0.0
        // 60 halvings: the edge's length times 2⁻⁶⁰, far below PROJ's own precision.
        for _ in 0..<60 {
            let t = (near + far) / 2
            let point = try toWGS84.forward(Point(x: a.x + (b.x - a.x) * t, y: a.y + (b.y - a.y) * t))
            let longitude = startLongitude + FootprintRing.wrapped(point.x - startLongitude)
            if (longitude - meridian) * (startLongitude - meridian) > 0 { near = t } else { far = t }
            latitude = point.y
        }
        return Point(x: meridian, y: latitude)
    }

    /// A lon/lat shape (RFC 7946, possibly cut at ±180° or closed along a pole)
    /// in `toWGS84`'s source CRS, as one shape: the vertices RFC 7946 adds are
    /// dropped again (a pole's run of vertices becomes the pole, ±180° one
    /// meridian) and pieces that the cuts separated are merged by GEOS.
    /// In a geographic CRS, whose plane has two edges at ±180°, each piece is
    /// moved by whole turns to lie within 180° of `nearLongitude` (the task's
    /// middle), so a scene that runs past 180° gets its pieces side by side.
    public func fromLonLat(with toWGS84: Reprojector, nearLongitude: Double? = nil) throws -> MultiPolygon {
        var shape = self
        if !toWGS84.meridiansMeet, let nearLongitude {
            shape = MultiPolygon(polygons.map { polygon in
                let lons = polygon.exterior.map(\.x)
                let middle = ((lons.min() ?? 0) + (lons.max() ?? 0)) / 2
                let turns = ((nearLongitude - middle) / 360).rounded()
                return turns == 0 ? polygon : polygon.map { Point(x: $0.x + 360 * turns, y: $0.y) }
            }, isMulti: isMulti)
        }
        let touchesEdge = shape.allPoints.contains { abs($0.x) >= 180 || abs($0.y) == 90 }
        guard touchesEdge else { return try shape.mapAll(toWGS84.inverse) }
        // Merging pieces would hide pieces that overlap: judged where the caller drew them.
        if let problem = validityProblem { throw GeometryProblem("invalid geometry: \(problem) (lon, lat)") }
        // In a projection −180° and 180° are one meridian, and every longitude at a pole is one
        // point: written one way, PROJ gives the very same coordinates for both.
        let canonical = { (point: Point) -> Point in
            guard toWGS84.meridiansMeet else { return point }
            return abs(point.y) == 90 ? Point(x: 0, y: point.y) : point.x == -180 ? Point(x: 180, y: point.y) : point
        }
        let cleaned = try shape.polygons.compactMap { polygon -> Polygon? in
            if let kept = Self.cleaned(try polygon.map { try toWGS84.inverse(canonical($0)) }) { return kept }
            // Edges along a parallel that meet again at ±180° or at a pole (a cap drawn with a few vertices) fold
            // onto each other once projected; followed a degree at a time they keep the shape they have in lon/lat.
            return Self.cleaned(try Polygon(rings: polygon.rings.map(Self.densified)).map { try toWGS84.inverse(canonical($0)) })
        }
        guard cleaned.count > 1 else { return MultiPolygon(cleaned, isMulti: isMulti) }
        return try Self.union(cleaned.map { MultiPolygon($0) })
    }

    /// The polygon without its spikes, or nil when its outer ring has no area left (holes without area are dropped).
    static func cleaned(_ polygon: Polygon) -> Polygon? {
        let exterior = withoutSpikes(polygon.exterior)
        guard exterior.count >= 4, MultiPolygon(Polygon(rings: [exterior])).area > 0 else { return nil }
        return Polygon(rings: [exterior] + polygon.holes.map(withoutSpikes).filter { $0.count >= 4 })
    }

    /// A closed lon/lat ring with each edge split into pieces of at most a degree in longitude and latitude.
    static func densified(_ ring: [Point]) -> [Point] {
        guard let last = ring.last else { return ring }
        var result: [Point] = []
        for (a, b) in zip(ring, ring.dropFirst()) {
            let pieces = max(1, Int(max(abs(b.x - a.x), abs(b.y - a.y)).rounded(.up)))
            for step in 0..<pieces {
                let t = Double(step) / Double(pieces)
                result.append(Point(x: a.x + (b.x - a.x) * t, y: a.y + (b.y - a.y) * t))
            }
        }
        return result + [last]
    }

    /// +1 / −1 when the ring (in its own CRS) encloses the North / South Pole, 0 otherwise.
    static func poleInside(_ ring: [Point], poles: (north: Point?, south: Point?)) -> Int {
        guard ring.count >= 4 else { return 0 }
        // Most rings are nowhere near a pole: their box says so without GEOS.
        let xs = ring.map(\.x), ys = ring.map(\.y)
        guard let west = xs.min(), let east = xs.max(), let south = ys.min(), let north = ys.max() else { return 0 }
        let near = { (pole: Point) in (west...east).contains(pole.x) && (south...north).contains(pole.y) }
        let shape = MultiPolygon(Polygon(rings: [ring]))
        if let north = poles.north, near(north), shape.contains(north) { return 1 }
        if let south = poles.south, near(south), shape.contains(south) { return -1 }
        return 0
    }

    /// A lon/lat ring as RFC 7946 shapes: closed along `pole` when it goes
    /// round it, cut at the antimeridian when it crosses.
    private static func cut(_ ring: [Point], pole: Int) throws -> MultiPolygon {
        let footprint = try Footprint(lonLatRing: ring, pole: pole)
        return MultiPolygon(footprint.polygons.map { Polygon(rings: [$0]) })
    }

    /// A closed ring without repeated neighbours and without spikes (A, B, A):
    /// what a pole's run of vertices, or a cut edge, becomes once projected.
    /// Points count as one within a hundred-billionth of their magnitude
    /// (PROJ's round trips differ in the last digits).
    static func withoutSpikes(_ ring: [Point]) -> [Point] {
        let same = { (a: Point, b: Point) in
            abs(a.x - b.x) <= 1e-11 * max(1, abs(a.x)) && abs(a.y - b.y) <= 1e-11 * max(1, abs(a.y))
        }
        var open = Array(ring.dropLast())
        var changed = true
        while changed, open.count >= 3 {
            changed = false
            for index in open.indices {
                let next = open[(index + 1) % open.count]
                if same(open[index], next) {
                    open.remove(at: index)
                    changed = true
                    break
                }
                let previous = open[(index + open.count - 1) % open.count]
                if same(previous, next) {
                    // A → B → A: the excursion to B and the return are one line out and back.
                    for remove in [index, (index + 1) % open.count].sorted(by: >) { open.remove(at: remove) }
                    changed = true
                    break
                }
            }
        }
        guard let first = open.first else { return [] }
        return open + [first]
    }

    /// Whether `point` lies inside this shape (GEOS, through OGR).
    public func contains(_ point: Point) -> Bool {
        OGRGeometry(self).contains(OGRGeometry(point: point))
    }
}
