import SwathGeo

/// The project's land-cover labels as each cell's fuel class on a fire's grid.
/// Labels are burned by GDAL's rasterizer (cell centres inside; a later label
/// wins; 0 unlabelled) on cells no larger than the scenes' own, and when the
/// grid is coarser each of its cells takes the most common class among them
/// (GDAL warp, `mode`): a class is a category, never averaged into one that
/// is not on the ground.
public struct FireFuel: Sendable {
    public let classes: [Float]

    /// At most this many fine cells are burned for one grid (the subdivision shrinks to fit).
    public static let maximumFineCells = 64_000_000

    /// `sourceCell`: the scenes' cell size in the grid's units, the finest the labels were drawn at.
    public init(labels: [ClassedShape], grid: FireGrid, sourceCell: Double) throws {
        let gridCell = abs(grid.transform.coefficients[1])
        let cells = Double(grid.size.width * grid.size.height)
        var factor = sourceCell > 0 ? Int(min((gridCell / sourceCell - 1e-9).rounded(.up), 16)) : 1
        while factor > 1, cells * Double(factor * factor) > Double(Self.maximumFineCells) { factor -= 1 }
        let values = labels.map { Double(min(max($0.classId, 0), 65_535)) }
        guard factor > 1 else {
            let canvas = try Raster.inMemory(size: grid.size, bandCount: 1, dataType: .uint16)
            try canvas.setGeoTransform(grid.transform)
            try canvas.rasterize(labels.map(\.geometry), values: values)
            classes = try canvas.read(canvas.bounds, bands: [1], as: UInt16.self).map(Float.init)
            return
        }
        let c = grid.transform.coefficients
        let fine = try Raster.inMemory(size: Size(width: grid.size.width * factor, height: grid.size.height * factor), bandCount: 1, dataType: .uint16)
        try fine.setGeoTransform(GeoTransform(originX: c[0], pixelWidth: c[1] / Double(factor), originY: c[3], pixelHeight: c[5] / Double(factor)))
        try fine.rasterize(labels.map(\.geometry), values: values)
        let coarse = try fine.warped(toCRS: grid.crsWKT, transform: grid.transform, size: grid.size, resampling: "mode", sourceCRS: grid.crsWKT)
        classes = try coarse.read(coarse.bounds, bands: [1], as: Float.self)
    }
}
