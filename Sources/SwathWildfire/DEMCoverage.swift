import SwathGeo

/// A DEM must cover the whole scene: the scene's outline (densified) is
/// taken into the DEM's CRS with PROJ and must fall inside the DEM.
enum DEMCoverage {
    static func check(_ path: String, drivers: [String]?, covers scene: Raster) throws {
        let dem: Raster
        do { dem = try Raster.open(path, drivers: drivers) } catch let error as GeoError { throw WildfireError("DEM: \(error)") }
        guard let demCRS = dem.crs, let demTransform = dem.geoTransform else {
            throw WildfireError("DEM \(path) is not georeferenced")
        }
        let toDEM = try Reprojector(from: scene.crs!, to: demCRS)
        let outline = scene.geoTransform!.densifiedOutline(scene.bounds, segmentsPerEdge: 16)
        let inDEM = try toDEM.forward(outline).map { demTransform.invert($0) }
        let tolerance = 0.5
        let outside = inDEM.filter { point in
            guard let point else { return true }
            return point.x < -tolerance || point.y < -tolerance
                || point.x > Double(dem.width) + tolerance || point.y > Double(dem.height) + tolerance
        }
        guard outside.isEmpty else {
            throw WildfireError("DEM \(path) does not cover the scene: \(outside.count) of \(outline.count) points of the scene's outline fall outside it")
        }
    }
}
