/// Topology through OGR and GEOS: validity, clipping, area, and WKB storage.
extension MultiPolygon {
    /// nil when the geometry is valid (OGC simple features, as GEOS judges);
    /// otherwise GEOS's reason, e.g. "Self-intersection at or near point 0.5 0.5".
    public var validityProblem: String? {
        OGRGeometry(self).validityProblem
    }

    /// Planar area in the CRS's units squared.
    public var area: Double { OGRGeometry(self).area }

    /// The part of this shape inside `other` (GEOS intersection), polygons only.
    public func intersection(_ other: MultiPolygon) -> MultiPolygon {
        guard let result = OGRGeometry(self).intersection(OGRGeometry(other)) else { return MultiPolygon([]) }
        var clipped = result.multiPolygon
        if clipped.polygons.count == 1 { clipped.isMulti = isMulti }
        return clipped
    }

    /// Everything any of the shapes covers (GEOS union): overlaps merged,
    /// shared edges dissolved, so `perimeter` is the outline's real length.
    public static func union(_ shapes: [MultiPolygon]) -> MultiPolygon {
        guard var merged = shapes.first.map(OGRGeometry.init) else { return MultiPolygon([]) }
        for shape in shapes.dropFirst() {
            guard let next = merged.union(OGRGeometry(shape)) else { continue }
            merged = next
        }
        return merged.multiPolygon
    }

    /// ISO WKB, little-endian: how labels are stored.
    public var wkb: [UInt8] { OGRGeometry(self).wkb }

    public init(wkb: [UInt8]) throws {
        guard let geometry = OGRGeometry(wkb: wkb) else { throw GeometryProblem("stored geometry is not valid WKB") }
        self = geometry.multiPolygon
    }
}
