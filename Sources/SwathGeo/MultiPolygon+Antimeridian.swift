import CGDAL

extension MultiPolygon {
    /// This shape (in `crs`) in WGS84 lon/lat, cut at the antimeridian as
    /// RFC 7946 asks: parts east of 180° come back as a second polygon west
    /// of −180°. The cut is GDAL's (OGR's WRAPDATELINE geometry transformer);
    /// callers use it when a plain reprojection spans more than 180°.
    public func toWGS84CuttingAntimeridian(from crs: CRS) throws -> MultiPolygon {
        let source = try SpatialReference(userInput: crs.wkt)
        let target = try SpatialReference(userInput: "EPSG:4326")
        OSRSetAxisMappingStrategy(source.handle, OAMS_TRADITIONAL_GIS_ORDER)
        OSRSetAxisMappingStrategy(target.handle, OAMS_TRADITIONAL_GIS_ORDER)
        guard let transformation = OCTNewCoordinateTransformation(source.handle, target.handle) else {
            throw GeoError.projection(reason: "no transformation from \(crs.label) to WGS84")
        }
        defer { OCTDestroyCoordinateTransformation(transformation) }
        let options = CStringList(["WRAPDATELINE=YES"])
        guard let transformer = options.withPointer({ OGR_GeomTransformer_Create(transformation, $0) }) else {
            throw GeoError.projection(reason: "cannot create a geometry transformer")
        }
        defer { OGR_GeomTransformer_Destroy(transformer) }
        let geometry = OGRGeometry(self)
        guard let result = OGR_GeomTransformer_Transform(transformer, geometry.handle) else {
            throw GeoError.projection(reason: GDALLastError.message(default: "the shape cannot be brought to WGS84"))
        }
        return OGRGeometry(owning: result).multiPolygon
    }

    /// The RFC 7946 bbox of a lon/lat shape, [west, south, east, north], with west > east when the shape crosses
    /// the antimeridian: a ring whose longitudes span more than 180° is read as one that crosses (each ring unwrapped
    /// from its first point), not as one that goes the long way round. nil for an empty shape.
    public var lonLatBounds: [Double]? {
        guard let plain = bounds else { return nil }
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
