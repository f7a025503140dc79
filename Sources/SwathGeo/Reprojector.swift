import CPROJ
import Foundation

/// Converts coordinates between two CRSs with PROJ. Axis order is normalised
/// for GIS use (`proj_normalize_for_visualization`): WGS84 comes out as
/// longitude, latitude — never swapped by hand.
///
/// Owns its own PROJ context, so each parallel worker can have one.
public final class Reprojector: @unchecked Sendable {
    private let context: OpaquePointer
    private let transformation: OpaquePointer
    /// PROJ's own words about what failed (it logs them rather than returning them), kept instead of printed.
    private let log = PROJLog()
    public let source: CRS
    public let target: CRS

    public init(from source: CRS, to target: CRS) throws {
        guard let context = proj_context_create() else {
            throw GeoError.projection(reason: "cannot create a PROJ context")
        }
        log.attach(to: context)
        guard let raw = proj_create_crs_to_crs(context, source.wkt, target.wkt, nil) else {
            let reason = log.lastMessage ?? Self.lastError(context)
            proj_context_destroy(context)
            throw GeoError.projection(reason: "no transformation from \(source.label) to \(target.label): \(reason)")
        }
        let normalized = proj_normalize_for_visualization(context, raw)
        // The operation goes before its context, whichever way this ends.
        proj_destroy(raw)
        guard let normalized else {
            let reason = Self.lastError(context)
            proj_context_destroy(context)
            throw GeoError.projection(reason: "cannot normalise axis order: \(reason)")
        }
        self.context = context
        self.transformation = normalized
        self.source = source
        self.target = target
        polesInSource = (pole(latitude: 90), pole(latitude: -90))
        meridiansMeet = meetAtTheAntimeridian()
    }

    /// A reprojector from `source` to WGS84 longitude/latitude.
    public static func toWGS84(from source: CRS) throws -> Reprojector {
        try Reprojector(from: source, to: CRS.wgs84())
    }

    deinit {
        proj_destroy(transformation)
        proj_context_destroy(context)
    }

    /// Source → target. Throws when PROJ cannot transform a point (outside
    /// the projection's domain), naming the point.
    public func forward(_ points: [Point]) throws -> [Point] {
        try transform(points, direction: PJ_FWD)
    }

    /// Target → source.
    public func inverse(_ points: [Point]) throws -> [Point] {
        try transform(points, direction: PJ_INV)
    }

    public func forward(_ point: Point) throws -> Point { try forward([point])[0] }
    public func inverse(_ point: Point) throws -> Point { try inverse([point])[0] }

    /// Where the North and South Poles lie in the source CRS (to WGS84), nil where it cannot express one:
    /// every footprint of a scene asks, so it is worked out once, when the reprojector is made (never changed after).
    public private(set) var polesInSource: (north: Point?, south: Point?) = (nil, nil)

    /// Whether 180° and −180° land on one line of the source CRS (and every longitude at a pole on one point), as
    /// in any projection; not so in a geographic CRS, where they are the two side edges of its plane.
    public private(set) var meridiansMeet = true

    private func meetAtTheAntimeridian() -> Bool {
        guard target.epsg == 4326 else { return true }
        for latitude in [0.0, 60, -60, 85, -85] {
            guard let east = try? inverse(Point(x: 180, y: latitude)), let west = try? inverse(Point(x: -180, y: latitude)),
                  east.x.isFinite, west.x.isFinite else { continue }
            let scale = max(1, abs(east.x), abs(east.y))
            return abs(east.x - west.x) <= 1e-9 * scale && abs(east.y - west.y) <= 1e-9 * scale
        }
        return true
    }

    private func pole(latitude: Double) -> Point? {
        guard target.epsg == 4326, let point = try? inverse(Point(x: 0, y: latitude)), point.x.isFinite, point.y.isFinite else { return nil }
        return point
    }

    private func transform(_ points: [Point], direction: PJ_DIRECTION) throws -> [Point] {
        var xs = points.map(\.x), ys = points.map(\.y)
        let stride = MemoryLayout<Double>.stride
        let count = points.count
        proj_errno_reset(transformation)
        xs.withUnsafeMutableBufferPointer { x in
            ys.withUnsafeMutableBufferPointer { y in
                _ = proj_trans_generic(transformation, direction, x.baseAddress, stride, count,
                                       y.baseAddress, stride, count, nil, 0, 0, nil, 0, 0)
            }
        }
        var result: [Point] = []
        result.reserveCapacity(count)
        for index in 0..<count {
            guard xs[index].isFinite, ys[index].isFinite else {
                throw GeoError.projection(reason: "point (\(points[index].x), \(points[index].y)) cannot be transformed "
                    + "from \(direction == PJ_FWD ? source.label : target.label): outside the CRS's domain")
            }
            result.append(Point(x: xs[index], y: ys[index]))
        }
        return result
    }

    private static func lastError(_ context: OpaquePointer) -> String {
        let code = proj_context_errno(context)
        guard code != 0, let text = proj_context_errno_string(context, code) else { return "unknown PROJ error" }
        return String(cString: text)
    }
}

extension CRS {
    /// Short human name for messages: "EPSG:32610" or "a custom CRS" — never a custom CRS's own name, which
    /// may name the customer (a mine grid, say) and reach annotators in an error.
    var label: String { epsg.map { "EPSG:\($0)" } ?? "a custom CRS" }

    /// The CRS's own name as its WKT gives it, for messages to those who may see the scene's details (the
    /// command line, a manager registering it).
    public var describedName: String {
        let name = self.name.isEmpty ? (try? SpatialReference(userInput: wkt).name) ?? "" : self.name
        return name.isEmpty || name == "unknown" || name == "unnamed" ? label : "\"\(name.prefix(120))\""
    }
}
