import SwathGeo

/// The grid one fire's samples live on: north-up cells of `resolution` in the
/// fire's CRS, covering its whole footprint with a margin of half a window
/// (so a window centred on any front cell fits), snapped to whole cells.
/// Perimeters become masks on it with GDAL's rasterizer (cell centres inside).
public struct FireGrid: Sendable, Equatable {
    public var crsWKT: String
    public var transform: GeoTransform
    public var size: Size

    public init(crsWKT: String, transform: GeoTransform, size: Size) {
        (self.crsWKT, self.transform, self.size) = (crsWKT, transform, size)
    }

    /// Refuses a grid larger than `maximumCells` (a fire the size of a country at 1 m): said, not allocated.
    public init(footprint: MultiPolygon, crsWKT: String, resolution: Double, marginCells: Int, maximumCells: Int = 100_000_000) throws {
        guard resolution > 0, resolution.isFinite else { throw SpreadError("--resolution must be a positive number of metres") }
        guard let box = footprint.bounds else { throw SpreadError("a fire without a footprint has no grid") }
        let margin = Double(marginCells) * resolution
        let west = ((box[0] - margin) / resolution).rounded(.down) * resolution
        let north = ((box[3] + margin) / resolution).rounded(.up) * resolution
        // In Double first: a tiny resolution must be refused, never overflow an Int.
        let columns = ((box[2] + margin - west) / resolution).rounded(.up), rows = ((north - (box[1] - margin)) / resolution).rounded(.up)
        guard columns >= 1, rows >= 1, columns * rows <= Double(maximumCells) else {
            throw SpreadError("a fire of \(Int((box[2] - box[0]).rounded())) × \(Int((box[3] - box[1]).rounded())) (CRS units) at \(resolution) per cell makes more than \(maximumCells) cells: use a coarser --resolution")
        }
        self.init(crsWKT: crsWKT, transform: GeoTransform(originX: west, pixelWidth: resolution, originY: north, pixelHeight: -resolution),
                  size: Size(width: Int(columns), height: Int(rows)))
    }

    /// `shape` (in the grid's CRS) burned into the grid: true where a cell's centre is inside, row by row.
    public func mask(_ shape: MultiPolygon) throws -> [Bool] {
        let raster = try Raster.inMemory(size: size, bandCount: 1, dataType: .byte)
        try raster.setGeoTransform(transform)
        try raster.rasterize([shape], values: [1])
        return try raster.read(raster.bounds, bands: [1], as: UInt8.self).map { $0 != 0 }
    }

    /// Windows of `window` cells centred along the active front of `burned` (burned cells with an unburned
    /// neighbour): at most one per `stride` × `stride` block of the grid, the first front cell met in row order,
    /// moved inside the grid where it would stick out. Row order, so the same masks give the same windows.
    public func frontWindows(_ burned: [Bool], window: Int, stride: Int) -> [Window] {
        guard window > 0, window <= size.width, window <= size.height, stride > 0 else { return [] }
        var taken = Set<Int>()
        var windows: [Window] = []
        let blocksAcross = (size.width + stride - 1) / stride
        for row in 0..<size.height {
            for col in 0..<size.width where FireFront.contains(burned, col: col, row: row, width: size.width, height: size.height) {
                let block = (row / stride) * blocksAcross + col / stride
                guard taken.insert(block).inserted else { continue }
                let left = min(max(col - window / 2, 0), size.width - window)
                let top = min(max(row - window / 2, 0), size.height - window)
                windows.append(Window(col: left, row: top, width: window, height: window))
            }
        }
        return windows
    }
}
