/// The WGS84 outline of a pixel window: closed, counter-clockwise rings of
/// (longitude, latitude) and its RFC 7946 bbox. A window that crosses the
/// antimeridian comes back cut at ±180° in parts (RFC 7946 §3.1.9), its bbox
/// with west > east; a window that contains a pole is closed along the pole
/// and its bbox spans every longitude up to ±90° (§5.3).
public struct Footprint: Equatable, Sendable {
    public var polygons: [[Point]]
    /// [west, south, east, north]; west > east when it crosses the antimeridian.
    public var bbox: [Double]
    /// +1 when the window contains the North Pole, −1 the South Pole, 0 neither.
    public var pole: Int = 0

    public var crossesAntimeridian: Bool { polygons.count > 1 }

    /// Outlines `window` through the full affine `transform` (rotation included)
    /// and PROJ. Each edge is split into at least `segmentsPerEdge` pieces, and
    /// further wherever PROJ bends it (a 1,000 km edge in a polar projection),
    /// until a piece's midpoint lies within `FootprintRing.tolerance` of the
    /// straight line in lon/lat. Whether a pole lies inside is asked of the
    /// window itself: the pole taken into its CRS and pixels, not guessed from corners.
    public init(window: Window, transform: GeoTransform, toWGS84: Reprojector, segmentsPerEdge: Int = 1) throws {
        // A transform that folds the plane onto a line has no footprint: said, never drawn as a sliver.
        guard transform.determinant != 0, transform.determinant.isFinite else {
            throw GeoError.projection(reason: "the geotransform \(transform.coefficients) is degenerate: its pixels have no area")
        }
        let ring = try FootprintRing.lonLat(window: window, transform: transform, toWGS84: toWGS84,
                                            segmentsPerEdge: max(segmentsPerEdge, 1))
        let pole = Self.poleInside(window: window, transform: transform, toWGS84: toWGS84)
        try self.init(lonLatRing: ring, pole: pole)
    }

    /// Builds a footprint from a closed lon/lat ring: fixes the winding, closes it along `pole` when the ring
    /// goes once around it, and cuts it at the antimeridian (GEOS, through OGR) when it crosses ±180°.
    public init(lonLatRing ring: [Point], pole: Int = 0) throws {
        var unwrapped = FootprintRing.unwrapped(ring)
        let turn = (unwrapped.last?.x ?? 0) - (unwrapped.first?.x ?? 0)
        // A ring that goes round a pole has gained or lost 360° of longitude by the time it closes.
        let around = abs(turn) > 180 ? (pole != 0 ? pole : (FootprintRing.meanLatitude(ring) >= 0 ? 1 : -1)) : 0
        // Started where it crosses ±180°, it runs from one side of the map to the other and closes along the
        // pole as one polygon, with no seam where the ring happened to start.
        if around != 0 { unwrapped = FootprintRing.unwrapped(FootprintRing.startingAtAntimeridian(ring)) }
        var outline = unwrapped
        if around != 0, let first = unwrapped.first, let last = unwrapped.last {
            let lat = Double(around) * 90
            outline += [Point(x: last.x, y: lat), Point(x: first.x, y: lat), first]
        }
        let parts = try FootprintRing.cutAtAntimeridian(outline)
        polygons = parts.map(Self.counterClockwise)
        self.pole = around
        let lats = polygons.flatMap { $0.map(\.y) }
        let south = around < 0 ? -90 : lats.min() ?? 0, north = around > 0 ? 90 : lats.max() ?? 0
        if around != 0 {
            bbox = [-180, south, 180, north]
        } else if polygons.count > 1 {
            // West edge: the westmost longitude of the parts east of the antimeridian (positive ones); east edge likewise.
            let eastern = polygons.filter { ($0.map(\.x).max() ?? 0) > 0 }.flatMap { $0.map(\.x) }
            let western = polygons.filter { ($0.map(\.x).max() ?? 0) <= 0 }.flatMap { $0.map(\.x) }
            bbox = [eastern.min() ?? -180, south, western.max() ?? 180, north]
        } else {
            let lons = polygons.flatMap { $0.map(\.x) }
            bbox = [lons.min() ?? 0, south, lons.max() ?? 0, north]
        }
    }

    /// +1 / −1 when the North / South Pole, taken into the window's CRS and then its pixels, falls inside the
    /// window; 0 when it does not, or when the CRS cannot express it (a Mercator, say: then it cannot be inside).
    static func poleInside(window: Window, transform: GeoTransform, toWGS84: Reprojector) -> Int {
        let poles = toWGS84.polesInSource
        for (pole, projected) in [(1, poles.north), (-1, poles.south)] {
            guard let projected, let pixel = transform.invert(projected) else { continue }
            let inside = pixel.x > Double(window.col) && pixel.x < Double(window.col + window.width)
                && pixel.y > Double(window.row) && pixel.y < Double(window.row + window.height)
            if inside { return pole }
        }
        return 0
    }

    /// Twice the signed area (shoelace); positive for counter-clockwise in lon/lat.
    static func signedArea(_ ring: [Point]) -> Double {
        zip(ring, ring.dropFirst()).reduce(0) { $0 + ($1.0.x * $1.1.y - $1.1.x * $1.0.y) }
    }

    static func counterClockwise(_ ring: [Point]) -> [Point] {
        signedArea(ring) < 0 ? ring.reversed() : ring
    }
}
