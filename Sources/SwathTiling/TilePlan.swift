import Foundation
import SwathGeo

/// Everything a tiling job derives from the scene and the options before any
/// tile is cut: the grid, what tiles inherit, and checks that would otherwise
/// fail halfway through.
struct TilePlan: Sendable {
    let grid: TileGrid
    let metadata: TileMetadata
    let isGeoreferenced: Bool
    let warnings: [String]
    let sourceBlock: Size
    let sceneWidth: Int

    init(raster: Raster, options: TileOptions) throws {
        let bands = options.bands ?? Array(1...raster.bandCount)
        try raster.checkBands(bands)
        let infos = bands.map(raster.bandInfo)
        let dataType = infos.dropFirst().reduce(infos[0].dataType) { $0.union($1.dataType) }
        try Self.checkFormat(options, dataType: dataType, bandCount: bands.count, path: raster.path)

        grid = TileGrid(sceneSize: raster.size, size: options.size, overlap: options.overlap, edge: options.edge)
        try Self.checkGrid(grid, path: raster.path, bytesPerPixel: dataType.byteSize * bands.count)

        let crs = raster.crs, transform = raster.geoTransform
        var warnings: [String] = []
        if raster.hasOnlyGCPs {
            warnings.append("\(raster.path) is georeferenced by ground control points only: tiles carry no georeferencing "
                + "and the index has no coordinates (warp it first with gdalwarp)")
        } else if crs == nil {
            warnings.append("\(raster.path) has no CRS: tiles are pixel-aligned only and the index has no coordinates")
        } else if transform == nil {
            warnings.append("\(raster.path) has a CRS but no geotransform: the index has no coordinates")
        }
        metadata = TileMetadata(crs: crs, sceneTransform: transform, dataType: dataType, sourceBands: bands, bands: infos)
        isGeoreferenced = crs != nil && transform != nil
        self.warnings = warnings
        sourceBlock = Size(width: infos[0].blockWidth, height: infos[0].blockHeight)
        sceneWidth = raster.width
    }

    private static func checkFormat(_ options: TileOptions, dataType: RasterDataType, bandCount: Int, path: String) throws {
        switch options.format {
        case .png:
            guard dataType == .byte || dataType == .uint16 else {
                throw TilingError.unsupported(path: path, reason: "PNG holds 8- or 16-bit unsigned bands, this scene's are \(dataType); use --format gtiff or cog")
            }
            guard (1...4).contains(bandCount) else {
                throw TilingError.unsupported(path: path, reason: "PNG holds 1 to 4 bands, \(bandCount) selected; choose some with --bands")
            }
        case .jpeg:
            guard dataType == .byte else {
                throw TilingError.unsupported(path: path, reason: "JPEG holds 8-bit bands, this scene's are \(dataType); use --format png, gtiff or cog")
            }
            guard bandCount == 1 || bandCount == 3 else {
                throw TilingError.unsupported(path: path, reason: "JPEG holds 1 or 3 bands, \(bandCount) selected; choose them with --bands")
            }
        case .gtiff, .cog:
            if dataType.isComplex, options.predictor ?? 1 != 1 {
                throw TilingError.unsupported(path: path, reason: "a predictor cannot be used with complex bands")
            }
        }
        if options.predictor == 3, !dataType.isFloatingPoint {
            throw TilingError.invalidOption("--predictor", "3 is for floating-point bands; \(path) holds \(dataType) (use 2)")
        }
    }

    private static func checkGrid(_ grid: TileGrid, path: String, bytesPerPixel: Int) throws {
        guard grid.count > 0 else {
            throw TilingError.unsupported(path: path, reason: "at \(grid.sceneSize.width) × \(grid.sceneSize.height) it is smaller than one "
                + "\(grid.size)-pixel tile, and --edge drop leaves nothing to write")
        }
        guard grid.count <= Tiler.maximumTileCount else {
            throw TilingError.unsupported(path: path, reason: "\(grid.sceneSize.width) × \(grid.sceneSize.height) pixels would make "
                + "\(grid.count) tiles, more than the \(Tiler.maximumTileCount) a job may write; use a larger --size")
        }
        guard grid.size * grid.size * bytesPerPixel <= Tiler.maximumTileBytes else {
            throw TilingError.invalidOption("--size", "a \(grid.size)-pixel tile of these bands needs more than 1 GiB; use a smaller size")
        }
    }

    func signature(source: String, options: TileOptions) -> TileJournal.Signature {
        TileJournal.Signature(
            scene: source.hasPrefix("/vsi") ? source : URL(fileURLWithPath: source).standardizedFileURL.path,
            width: grid.sceneSize.width, height: grid.sceneSize.height, size: options.size, overlap: options.overlap,
            edge: options.edge.rawValue, format: options.format.rawValue, bands: metadata.sourceBands,
            skipEmpty: options.skipEmpty)
    }

    func about(source: String, options: TileOptions) -> TileIndex.About {
        TileIndex.About(
            scene: source, georeferenced: isGeoreferenced,
            crs: metadata.crs.map { crs in crs.epsg.map { "EPSG:\($0)" } ?? crs.wkt },
            geoTransform: metadata.sceneTransform?.coefficients, tileSize: options.size, overlap: options.overlap,
            edge: options.edge.rawValue, format: options.format.rawValue, bands: metadata.sourceBands)
    }

    /// GDAL's block cache holds the source blocks a worker's run of tiles
    /// shares (a whole strip's width for strip-organised files) and the
    /// tiles being compressed; capped so memory stays bounded on any scene.
    func cacheBytes(threads: Int) -> Int {
        let bytesPerPixel = metadata.dataType.byteSize * metadata.bands.count
        let stripIsFullWidth = sourceBlock.width >= sceneWidth
        let spanWidth = stripIsFullWidth ? sceneWidth : grid.size + sourceBlock.width
        let sourceBytes = spanWidth * (grid.size + sourceBlock.height) * bytesPerPixel
        let tileBytes = grid.size * grid.size * bytesPerPixel
        let wanted = threads * (sourceBytes + 2 * tileBytes)
        return min(max(wanted, 32 << 20), 256 << 20)
    }

    /// Runs of consecutive tiles along a row: whole rows when there are
    /// enough of them to keep every worker busy, shorter runs otherwise.
    /// `pending` is walked once, in ascending order, and never stored.
    /// The tiles a run does: the whole grid, or a shard's part of it, in grid order.
    func tiles(of shard: TileShard?) -> LazyFilterSequence<Range<Int>> {
        guard let shard else { return (0..<grid.count).lazy.filter { _ in true } }
        return shard.tiles(rows: grid.rows, cols: grid.cols)
    }

    func workUnits(_ pending: some Sequence<Int>, threads: Int) -> [Range<Int>] {
        let wantedUnits = threads * 4
        let runLength = grid.rows >= wantedUnits ? grid.cols : max(1, grid.count / wantedUnits)
        var units: [Range<Int>] = []
        var start: Int?
        var previous = -1
        for index in pending {
            if let first = start, index != previous + 1 || index / grid.cols != first / grid.cols || index - first >= runLength {
                units.append(first..<(previous + 1))
                start = index
            } else if start == nil {
                start = index
            }
            previous = index
        }
        if let first = start { units.append(first..<(previous + 1)) }
        return units
    }
}
