import CGDAL

/// Owns an OGR geometry handle (GEOS does the topology behind OGR); destroyed
/// in deinit. Internal: the public face is `MultiPolygon`.
final class OGRGeometry {
    let handle: OGRGeometryH

    init(owning handle: OGRGeometryH) {
        self.handle = handle
    }

    deinit {
        OGR_G_DestroyGeometry(handle)
    }

    convenience init(_ shape: MultiPolygon) {
        GDALRuntime.start()
        let multi = OGR_G_CreateGeometry(wkbMultiPolygon)!
        for polygon in shape.polygons {
            let ogrPolygon = OGR_G_CreateGeometry(wkbPolygon)!
            for ring in polygon.rings {
                let ogrRing = OGR_G_CreateGeometry(wkbLinearRing)!
                for point in ring { OGR_G_AddPoint_2D(ogrRing, point.x, point.y) }
                OGR_G_AddGeometryDirectly(ogrPolygon, ogrRing)
            }
            OGR_G_AddGeometryDirectly(multi, ogrPolygon)
        }
        self.init(owning: multi)
    }

    convenience init(point: Point) {
        GDALRuntime.start()
        let handle = OGR_G_CreateGeometry(wkbPoint)!
        OGR_G_SetPoint_2D(handle, 0, point.x, point.y)
        self.init(owning: handle)
    }

    /// Parses ISO WKB; nil when the bytes are not a geometry.
    convenience init?(wkb: [UInt8]) {
        GDALRuntime.start()
        var geometry: OGRGeometryH?
        let status = wkb.withUnsafeBytes { bytes in
            OGR_G_CreateFromWkb(bytes.baseAddress, nil, &geometry, Int32(bytes.count))
        }
        guard status == OGRERR_NONE, let geometry else { return nil }
        self.init(owning: geometry)
    }

    var wkb: [UInt8] {
        var bytes = [UInt8](repeating: 0, count: Int(OGR_G_WkbSize(handle)))
        _ = bytes.withUnsafeMutableBufferPointer { OGR_G_ExportToWkb(handle, wkbNDR, $0.baseAddress) }
        return bytes
    }

    /// nil when valid; otherwise GEOS's reason ("Self-intersection at or near point …").
    var validityProblem: String? {
        GDALLastError.reset()
        guard OGR_G_IsValid(handle) == 0 else { return nil }
        return GDALLastError.message(default: "invalid geometry")
    }

    var area: Double { OGR_G_Area(handle) }

    func union(_ other: OGRGeometry) -> OGRGeometry? {
        OGR_G_Union(handle, other.handle).map(OGRGeometry.init(owning:))
    }

    func contains(_ other: OGRGeometry) -> Bool {
        OGR_G_Contains(handle, other.handle) != 0
    }

    func intersection(_ other: OGRGeometry) -> OGRGeometry? {
        OGR_G_Intersection(handle, other.handle).map(OGRGeometry.init(owning:))
    }

    func difference(_ other: OGRGeometry) -> OGRGeometry? {
        OGR_G_Difference(handle, other.handle).map(OGRGeometry.init(owning:))
    }

    /// Everything within `distance` (negative shrinks), 8 segments per quarter circle.
    func buffer(_ distance: Double) -> OGRGeometry? {
        OGR_G_Buffer(handle, distance, 8).map(OGRGeometry.init(owning:))
    }

    /// The rings as lines.
    var boundary: OGRGeometry? {
        OGR_G_Boundary(handle).map(OGRGeometry.init(owning:))
    }

    /// Total length of the line parts, whatever collection they come in
    /// (an intersection of lines with a polygon may mix lines and points).
    var lineLength: Double { Self.lineLength(handle) }

    private static func lineLength(_ geometry: OGRGeometryH) -> Double {
        let type = OGR_GT_Flatten(OGR_G_GetGeometryType(geometry))
        if type == wkbLineString || type == wkbLinearRing { return OGR_G_Length(geometry) }
        guard type == wkbMultiLineString || type == wkbGeometryCollection else { return 0 }
        return (0..<OGR_G_GetGeometryCount(geometry)).reduce(0.0) { $0 + lineLength(OGR_G_GetGeometryRef(geometry, $1)!) }
    }

    /// The polygons in this geometry (from a Polygon, MultiPolygon or a mixed
    /// collection), dropping lower-dimension parts such as touching edges.
    var multiPolygon: MultiPolygon {
        var polygons: [Polygon] = []
        collectPolygons(handle, into: &polygons)
        return MultiPolygon(polygons, isMulti: polygons.count != 1)
    }

    private func collectPolygons(_ geometry: OGRGeometryH, into polygons: inout [Polygon]) {
        let type = OGR_GT_Flatten(OGR_G_GetGeometryType(geometry))
        if type == wkbPolygon {
            let rings = (0..<OGR_G_GetGeometryCount(geometry)).map { index -> [Point] in
                let ring = OGR_G_GetGeometryRef(geometry, index)!
                return (0..<OGR_G_GetPointCount(ring)).map { Point(x: OGR_G_GetX(ring, $0), y: OGR_G_GetY(ring, $0)) }
            }
            if let exterior = rings.first, !exterior.isEmpty { polygons.append(Polygon(rings: rings)) }
        } else if type == wkbMultiPolygon || type == wkbGeometryCollection {
            for index in 0..<OGR_G_GetGeometryCount(geometry) {
                collectPolygons(OGR_G_GetGeometryRef(geometry, index)!, into: &polygons)
            }
        }
    }
}
