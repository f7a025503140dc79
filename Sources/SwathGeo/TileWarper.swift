import CGDAL
import Foundation

/// A raster opened for warping square tiles of a target grid (Web Mercator
/// map tiles) with GDAL's warper. It keeps what is costly to set up — the
/// dataset handle of each overview level and its coordinate transformer —
/// and only moves the target geotransform between tiles.
///
/// One thread at a time (see `Raster`): give each render thread its own.
public final class TileWarper: @unchecked Sendable {
    /// Target samples, pixel-interleaved: the warped bands, then an alpha
    /// plane (> 0 where the raster had data) as the last of `Self.planes`.
    public struct Pixels {
        public let values: UnsafeBufferPointer<Float>
        public let size: Int
        public static let planes = 4
    }

    public let path: String
    public let tileSize: Int
    private let overviewFactors: [Double]
    private let noData: [Double?]
    private let bandCount: Int
    private var levels: [Int: WarpLevel] = [:]
    private let buffer: UnsafeMutablePointer<Float>
    private let destination: Raster
    private let targetCRS: CRS

    /// Opens `path` (which must be georeferenced) for tiles of `tileSize`
    /// pixels in `targetCRS`.
    public init(path: String, targetCRS: CRS, tileSize: Int = 256) throws {
        let full = try Raster.open(path)
        guard full.crs != nil, full.geoTransform != nil else {
            throw GeoError.invalidRaster(path: path, reason: "is not georeferenced, so it cannot be drawn on a map")
        }
        self.path = path
        self.tileSize = tileSize
        self.targetCRS = targetCRS
        let bands = full.bands
        bandCount = bands.count
        noData = bands.map(\.noData)
        overviewFactors = bands[0].overviews.map { Double(full.width) / Double($0.width) }
        let count = tileSize * tileSize * Pixels.planes
        buffer = .allocate(capacity: count)
        buffer.initialize(repeating: 0, count: count)
        destination = try Raster.wrapping(buffer, size: Size(width: tileSize, height: tileSize),
                                          bandCount: Pixels.planes, dataType: .float32)
        try destination.setCRS(targetCRS)
        // Any north-up placeholder: the transformer needs one now, tiles move it later.
        try destination.setGeoTransform(GeoTransform(originX: 0, pixelWidth: 1, originY: 0, pixelHeight: -1))
        levels[0] = try WarpLevel(source: full, destination: destination)
    }

    deinit {
        levels.removeAll()
        buffer.deallocate()
    }

    /// Warps `bands` (at most 3) over `bounds` of the target CRS
    /// (minX, minY, maxX, maxY) and hands the samples to `body`. Reads the
    /// coarsest overview that is still at least as fine as the tile, with
    /// nearest neighbour: overviews are already averaged, an analyst zoomed
    /// in sees the scene's real pixels rather than a blur, and every output
    /// sample is a real source value, so nodata stays exactly nodata.
    /// The alpha plane is 0 outside the source and where any warped band
    /// holds its nodata value.
    public func warp<R>(bounds: [Double], bands: [Int], _ body: (Pixels) throws -> R) throws -> R {
        guard (1...Pixels.planes - 1).contains(bands.count), bands.allSatisfy({ (1...bandCount).contains($0) }) else {
            throw GeoError.invalidArgument(name: "bands", reason: "\(bands) is not 1–3 of the \(bandCount) bands of \(path)")
        }
        let pixel = (bounds[2] - bounds[0]) / Double(tileSize)
        let transform = GeoTransform(originX: bounds[0], pixelWidth: pixel, originY: bounds[3],
                                     pixelHeight: -(bounds[3] - bounds[1]) / Double(tileSize))
        let level = try self.level(for: transform)
        level.setTarget(transform)
        try run(level: level, bands: bands)
        maskNoData(bands: bands)
        return try body(Pixels(values: UnsafeBufferPointer(start: buffer, count: tileSize * tileSize * Pixels.planes),
                               size: tileSize))
    }

    /// Source pixels per target pixel at full resolution, then the overview
    /// whose reduction factor is the largest not above it.
    private func level(for transform: GeoTransform) throws -> WarpLevel {
        let full = levels[0]!
        full.setTarget(transform)
        guard let ratio = full.sourcePixelsPerTargetPixel(tileSize: tileSize), ratio > 1,
              let index = overviewFactors.lastIndex(where: { $0 <= ratio * 1.01 }) else { return full }
        let key = index + 1
        if let cached = levels[key] { return cached }
        let opened = try WarpLevel(source: Raster.open(path, overviewLevel: index), destination: destination)
        levels[key] = opened
        return opened
    }

    /// Nodata handled here rather than by GDAL's nodata masks, which send the
    /// warper down its slow general path (3× the time of a whole tile).
    private func maskNoData(bands: [Int]) {
        let values = bands.map { noData[$0 - 1].map(Float.init) }
        guard values.contains(where: { $0 != nil }) else { return }
        let planes = Pixels.planes
        for pixel in 0..<(tileSize * tileSize) {
            let base = pixel * planes
            for (channel, value) in values.enumerated() {
                guard let value else { continue }
                let sample = buffer[base + channel]
                if sample == value || (value.isNaN && sample.isNaN) { buffer[base + planes - 1] = 0 }
            }
        }
    }

    private func run(level: WarpLevel, bands: [Int]) throws {
        guard let options = GDALCreateWarpOptions() else { throw GeoError.unreadable(path: path, reason: "cannot allocate warp options") }
        defer { GDALDestroyWarpOptions(options) }
        options.pointee.hSrcDS = level.source.handle
        options.pointee.hDstDS = destination.handle
        options.pointee.nBandCount = Int32(bands.count)
        options.pointee.panSrcBands = Self.cArray(bands.map { Int32($0) })
        options.pointee.panDstBands = Self.cArray(bands.indices.map { Int32($0 + 1) })
        options.pointee.nDstAlphaBand = Int32(Pixels.planes)
        options.pointee.eResampleAlg = GRA_NearestNeighbour
        options.pointee.eWorkingDataType = GDT_Float32
        options.pointee.papszWarpOptions = CSLSetNameValue(nil, "INIT_DEST", "0")
        options.pointee.pfnTransformer = GDALApproxTransform
        options.pointee.pTransformerArg = level.transformer
        GDALLastError.reset()
        guard let operation = GDALCreateWarpOperation(options) else {
            throw GeoError.unreadable(path: path, reason: GDALLastError.message(default: "GDAL refused the warp"))
        }
        defer { GDALDestroyWarpOperation(operation) }
        guard GDALChunkAndWarpImage(operation, 0, 0, Int32(tileSize), Int32(tileSize)) == CE_None else {
            throw GeoError.unreadable(path: path, reason: GDALLastError.message(default: "warp failed"))
        }
    }

    /// GDAL frees warp option arrays with CPLFree, so they must come from CPLMalloc.
    private static func cArray<T>(_ values: [T]) -> UnsafeMutablePointer<T> {
        let pointer = CPLMalloc(MemoryLayout<T>.stride * values.count)!.bindMemory(to: T.self, capacity: values.count)
        pointer.initialize(from: values, count: values.count)
        return pointer
    }
}

/// One resolution of the source with the transformer from target pixels to
/// its pixels (PROJ through GDAL, approximated to an eighth of a pixel the
/// way gdalwarp does by default).
final class WarpLevel {
    let source: Raster
    let transformer: UnsafeMutableRawPointer
    private let exact: UnsafeMutableRawPointer

    init(source: Raster, destination: Raster) throws {
        GDALLastError.reset()
        guard let exact = GDALCreateGenImgProjTransformer2(source.handle, destination.handle, nil) else {
            throw GeoError.projection(reason: "\(source.path): " + GDALLastError.message(default: "no transformation to the map's CRS"))
        }
        self.source = source
        self.exact = exact
        transformer = GDALCreateApproxTransformer(GDALGenImgProjTransform, exact, 0.125)
        GDALApproxTransformerOwnsSubtransformer(transformer, 1)
    }

    deinit {
        GDALDestroyTransformer(transformer)
    }

    func setTarget(_ transform: GeoTransform) {
        var coefficients = transform.coefficients
        GDALSetGenImgProjTransformerDstGeoTransform(exact, &coefficients)
    }

    /// How many source pixels one target pixel spans across the middle of
    /// the tile (the smaller of the two directions); nil where PROJ fails.
    func sourcePixelsPerTargetPixel(tileSize: Int) -> Double? {
        let half = Double(tileSize) / 2, full = Double(tileSize)
        var x = [0, full, half, half], y = [half, half, 0, full], z = [Double](repeating: 0, count: 4)
        var ok = [Int32](repeating: 0, count: 4)
        _ = GDALGenImgProjTransform(exact, 1, 4, &x, &y, &z, &ok)
        guard ok.allSatisfy({ $0 != 0 }) else { return nil }
        let across = hypot(x[1] - x[0], y[1] - y[0]) / full
        let down = hypot(x[3] - x[2], y[3] - y[2]) / full
        return min(across, down)
    }
}
