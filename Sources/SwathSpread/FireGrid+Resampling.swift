import Foundation
import SwathGeo

extension FireGrid {
    /// How a raster of continuous values comes onto this grid with GDAL: `average` when the grid's cells are
    /// clearly coarser than the raster's (measured in the grid's CRS: two neighbouring cell centres of the
    /// raster's middle taken there by PROJ), `bilinear` otherwise.
    func resampling(for raster: Raster, named name: String) throws -> String {
        guard let crs = raster.crs, let transform = raster.geoTransform else { throw SpreadError("\(name) is not georeferenced") }
        let toGrid = try Reprojector(from: crs, to: CRS(name: "", wkt: crsWKT, epsg: nil, projJSON: nil, isGeographic: false))
        let middle = (Double(raster.width) / 2, Double(raster.height) / 2)
        let ends = try toGrid.forward([transform.apply(col: middle.0, row: middle.1), transform.apply(col: middle.0 + 1, row: middle.1)])
        let rasterCell = hypot(ends[1].x - ends[0].x, ends[1].y - ends[0].y)
        return abs(self.transform.coefficients[1]) > 1.5 * rasterCell ? "average" : "bilinear"
    }
}
