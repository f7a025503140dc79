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
                return try reprojectors.withReprojector(for: scene) { try shape.mapAll($0.inverse) }
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
            return shape.map { point in
                let pixel = transform.invert(point)!  // a stored scene has an invertible transform
                return Point(x: pixel.x - Double(window.col), y: pixel.y - Double(window.row))
            }
        case .wgs84:
            return try toWGS84(shape).rightHanded
        }
    }

    func toWGS84(_ shape: MultiPolygon) throws -> MultiPolygon {
        try reprojectors.withReprojector(for: scene) { try shape.mapAll($0.forward) }
    }
}
