/// GDAL's six-term affine from pixel/line to CRS coordinates:
/// x = c0 + col·c1 + row·c2, y = c3 + col·c4 + row·c5.
/// Rotation terms (c2, c4) are kept and applied, never dropped.
public struct GeoTransform: Equatable, Hashable, Sendable, Codable {
    public var coefficients: [Double]

    public init(_ coefficients: [Double]) {
        precondition(coefficients.count == 6, "a geotransform has six coefficients")
        self.coefficients = coefficients
    }

    public init(originX: Double, pixelWidth: Double, rotationX: Double = 0,
                originY: Double, rotationY: Double = 0, pixelHeight: Double) {
        self.init([originX, pixelWidth, rotationX, originY, rotationY, pixelHeight])
    }

    /// GDAL's default for a raster without georeferencing.
    public static let identity = GeoTransform([0, 1, 0, 0, 0, 1])

    public var isRotated: Bool { coefficients[2] != 0 || coefficients[4] != 0 }
    public var isNorthUp: Bool { !isRotated && coefficients[5] < 0 && coefficients[1] > 0 }

    /// CRS coordinates of a (fractional) pixel/line position.
    public func apply(col: Double, row: Double) -> Point {
        let c = coefficients
        return Point(x: c[0] + col * c[1] + row * c[2], y: c[3] + col * c[4] + row * c[5])
    }

    public var determinant: Double { coefficients[1] * coefficients[5] - coefficients[2] * coefficients[4] }

    /// Pixel/line position of a CRS coordinate; nil when the transform is degenerate.
    public func invert(_ point: Point) -> Point? {
        let c = coefficients
        let det = determinant
        guard det != 0, det.isFinite else { return nil }
        let dx = point.x - c[0], dy = point.y - c[3]
        return Point(x: (dx * c[5] - dy * c[2]) / det, y: (dy * c[1] - dx * c[4]) / det)
    }

    /// A window's outline in the CRS: its four corners through the affine
    /// (a parallelogram when rotated), right-handed.
    public func outline(_ window: Window) -> MultiPolygon {
        let corners = [(0, 0), (0, window.height), (window.width, window.height), (window.width, 0), (0, 0)].map {
            apply(col: Double(window.col + $0.0), row: Double(window.row + $0.1))
        }
        return MultiPolygon(Polygon(rings: [corners])).rightHanded
    }

    /// A window's outline in the CRS, each edge split into `segmentsPerEdge`
    /// pieces (open ring, from the top-left corner down the left edge), so a
    /// reprojection of it follows curved edges.
    public func densifiedOutline(_ window: Window, segmentsPerEdge: Int) -> [Point] {
        FootprintRing.pixelRing(window, segmentsPerEdge: max(1, segmentsPerEdge)).map { apply(col: $0.x, row: $0.y) }
    }

    /// The transform of a sub-window: the same affine with its origin moved to
    /// the window's top-left pixel. Exact for rotated transforms too.
    public func offset(col: Int, row: Int) -> GeoTransform {
        let origin = apply(col: Double(col), row: Double(row))
        var shifted = coefficients
        shifted[0] = origin.x
        shifted[3] = origin.y
        return GeoTransform(shifted)
    }
}
