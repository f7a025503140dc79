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
    /// Throws when GEOS fails: a failure is never an empty shape.
    public func intersection(_ other: MultiPolygon) throws -> MultiPolygon {
        var clipped = try Self.geos("intersection") { OGRGeometry(self).intersection(OGRGeometry(other)) }.multiPolygon
        if clipped.polygons.count == 1 { clipped.isMulti = isMulti }
        return clipped
    }

    /// The part of this shape outside `other` (GEOS difference), polygons only.
    public func difference(_ other: MultiPolygon) throws -> MultiPolygon {
        guard !isEmpty, !other.isEmpty else { return self }
        return try Self.geos("difference") { OGRGeometry(self).difference(OGRGeometry(other)) }.multiPolygon
    }

    /// Grown by `distance` in the CRS's units, or shrunk when it is negative (GEOS buffer).
    public func buffered(by distance: Double) throws -> MultiPolygon {
        guard !isEmpty else { return self }
        return try Self.geos("buffer") { OGRGeometry(self).buffer(distance) }.multiPolygon
    }

    /// How much of this shape's outline lies within `distance` of `other`'s
    /// outline, in the CRS's units (GEOS boundary, buffer, intersection):
    /// the building block of boundary agreement.
    public func outlineLength(near other: MultiPolygon, within distance: Double) throws -> Double {
        guard !isEmpty, !other.isEmpty else { return 0 }
        let mine = try Self.geos("boundary") { OGRGeometry(self).boundary }
        let corridor = try Self.geos("buffer") { try Self.geos("boundary") { OGRGeometry(other).boundary }.buffer(distance) }
        return try Self.geos("intersection") { mine.intersection(corridor) }.lineLength
    }

    /// Everything any of the shapes covers (GEOS union): overlaps merged,
    /// shared edges dissolved, so `perimeter` is the outline's real length.
    public static func union(_ shapes: [MultiPolygon]) throws -> MultiPolygon {
        guard var merged = shapes.first.map(OGRGeometry.init) else { return MultiPolygon([]) }
        for shape in shapes.dropFirst() {
            let current = merged
            merged = try geos("union") { current.union(OGRGeometry(shape)) }
        }
        return merged.multiPolygon
    }

    /// Runs one GEOS operation; a NULL result becomes a `GeometryProblem` with GEOS's reason.
    private static func geos(_ operation: String, _ body: () throws -> OGRGeometry?) throws -> OGRGeometry {
        GDALLastError.reset()
        guard let result = try body() else {
            throw GeometryProblem("GEOS could not compute the \(operation): \(GDALLastError.message(default: "no reason given"))")
        }
        return result
    }

    /// ISO WKB, little-endian: how labels are stored.
    public var wkb: [UInt8] { OGRGeometry(self).wkb }

    public init(wkb: [UInt8]) throws {
        guard let geometry = OGRGeometry(wkb: wkb) else { throw GeometryProblem("stored geometry is not valid WKB") }
        self = geometry.multiPolygon
    }
}
