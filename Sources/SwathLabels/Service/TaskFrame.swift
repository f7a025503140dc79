import Foundation
import SwathGeo

/// Moves label geometry between WGS84, the scene's CRS and a task's pixel
/// grid, through the scene's full geotransform and PROJ.
struct TaskFrame {
    let scene: Scene
    let window: Window
    let reprojectors: ReprojectorPool

    /// The task tile's outline in the scene's CRS: its four corners through the
    /// affine (a parallelogram when the geotransform is rotated).
    var footprint: MultiPolygon { scene.transform.outline(window) }

    func toScene(_ shape: MultiPolygon, from space: CoordinateSpace) throws -> MultiPolygon {
        switch space {
        case .scene:
            return shape
        case .pixel:
            return shape.map { scene.transform.apply(col: Double(window.col) + $0.x, row: Double(window.row) + $0.y) }
        case .wgs84:
            if let outside = shape.allPoints.first(where: { abs($0.x) > 180 || abs($0.y) > 90 }) {
                throw GeometryProblem("position [\(outside.x), \(outside.y)] is not longitude, latitude in range (RFC 7946 order is lon, lat)")
            }
            do {
                return try reprojectors.withReprojector(for: scene) { toWGS84 in
                    // In a geographic scene the task's own longitude decides which side of ±180° a piece goes.
                    let middle = toWGS84.meridiansMeet ? nil : try toWGS84.forward(scene.transform.apply(
                        col: Double(window.col) + Double(window.width) / 2, row: Double(window.row) + Double(window.height) / 2)).x
                    return try shape.fromLonLat(with: toWGS84, nearLongitude: middle)
                }
            } catch let error as GeoError {
                throw GeometryProblem("cannot be placed in the scene's CRS: \(error.description)")
            }
        }
    }

    func fromScene(_ shape: MultiPolygon, to space: CoordinateSpace) throws -> MultiPolygon {
        switch space {
        case .scene:
            return shape
        case .pixel:
            let transform = scene.transform
            return try shape.map { point in
                guard let pixel = transform.invert(point) else { throw LabelingError.invalid("scene \(scene.id) has a geotransform that cannot be inverted") }
                return Point(x: pixel.x - Double(window.col), y: pixel.y - Double(window.row))
            }
        case .wgs84:
            return try toWGS84(shape)
        }
    }

    /// One point of the caller's coordinates in the scene's CRS.
    func toScene(_ point: Point, from space: CoordinateSpace) throws -> Point {
        switch space {
        case .scene: return point
        case .pixel: return scene.transform.apply(col: Double(window.col) + point.x, row: Double(window.row) + point.y)
        case .wgs84:
            guard abs(point.x) <= 180, abs(point.y) <= 90 else {
                throw LabelingError.invalid("point [\(point.x), \(point.y)] is not longitude, latitude in range (lon, lat order)")
            }
            return try reprojectors.withReprojector(for: scene) { toWGS84 in
                guard !toWGS84.meridiansMeet else { return try toWGS84.inverse(point) }
                let middle = try toWGS84.forward(scene.transform.apply(col: Double(window.col) + Double(window.width) / 2,
                                                                       row: Double(window.row) + Double(window.height) / 2)).x
                return try toWGS84.inverse(Point(x: point.x + 360 * ((middle - point.x) / 360).rounded(), y: point.y))
            }
        }
    }

    /// One scene point in the caller's coordinates.
    func fromScene(_ point: Point, to space: CoordinateSpace) throws -> Point {
        switch space {
        case .scene:
            return point
        case .pixel:
            guard let pixel = scene.transform.invert(point) else { throw LabelingError.invalid("scene \(scene.id) has a geotransform that cannot be inverted") }
            return Point(x: pixel.x - Double(window.col), y: pixel.y - Double(window.row))
        case .wgs84:
            return try reprojectors.withReprojector(for: scene) { try $0.forward(point) }
        }
    }

    /// GEOS names the offending spot in the scene's CRS ("Self-intersection at
    /// or near point 601111.02 4298899.12"), which means nothing to whoever
    /// sent lon/lat: the spot is given back in their coordinates.
    func describeInCallerSpace(_ problem: String, space: CoordinateSpace) -> String {
        let marker = "at or near point "
        guard space != .scene, let range = problem.range(of: marker) else { return problem }
        let numbers = problem[range.upperBound...].split(separator: " ").prefix(2).compactMap { Double($0) }
        guard numbers.count == 2, let point = try? fromScene(Point(x: numbers[0], y: numbers[1]), to: space) else { return problem }
        let where_ = space == .wgs84 ? String(format: "lon %.7f, lat %.7f", point.x, point.y) : String(format: "pixel %.2f, %.2f", point.x, point.y)
        return String(problem[..<range.lowerBound]) + "at or near " + where_
    }

    /// RFC 7946: right-handed, cut at ±180°, closed along a pole it goes round.
    func toWGS84(_ shape: MultiPolygon) throws -> MultiPolygon {
        try reprojectors.withReprojector(for: scene) { try shape.toLonLat(with: $0) }
    }
}
