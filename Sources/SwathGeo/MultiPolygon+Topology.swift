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

    /// The part of this shape outside `other` (GEOS difference), polygons only.
    public func difference(_ other: MultiPolygon) -> MultiPolygon {
        guard !isEmpty else { return self }
        guard !other.isEmpty, let result = OGRGeometry(self).difference(OGRGeometry(other)) else { return self }
        return result.multiPolygon
    }

    /// Grown by `distance` in the CRS's units, or shrunk when it is negative (GEOS buffer).
    public func buffered(by distance: Double) -> MultiPolygon {
        guard !isEmpty, let result = OGRGeometry(self).buffer(distance) else { return MultiPolygon([]) }
        return result.multiPolygon
    }

    /// How much of this shape's outline lies within `distance` of `other`'s
    /// outline, in the CRS's units (GEOS boundary, buffer, intersection):
    /// the building block of boundary agreement.
    public func outlineLength(near other: MultiPolygon, within distance: Double) -> Double {
        guard !isEmpty, !other.isEmpty, let mine = OGRGeometry(self).boundary,
              let corridor = OGRGeometry(other).boundary?.buffer(distance),
              let shared = mine.intersection(corridor) else { return 0 }
        return shared.lineLength
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
