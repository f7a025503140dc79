import CGDAL

/// A raster opened for square tiles of its own pixel grid (the workbench's
/// native view): a window read straight into a tile, shrunk through the
/// file's overviews or enlarged pixel by pixel (nearest neighbour, so every
/// sample is a real one and nodata stays nodata). No CRS needed: this is how
/// a scene without one, or beyond what a web map can show, is seen.
///
/// One thread at a time (see `Raster`): give each render thread its own.
public final class GridTileReader: @unchecked Sendable {
    public let path: String
    public let tileSize: Int
    private let raster: Raster
    private let noData: [Double?]
    private let buffer: UnsafeMutablePointer<Float>
    private var count: Int { tileSize * tileSize * TileWarper.Pixels.planes }

    public init(path: String, tileSize: Int = 256) throws {
        raster = try Raster.open(path)
        self.path = path
        self.tileSize = tileSize
        noData = raster.bands.map(\.noData)
        buffer = .allocate(capacity: tileSize * tileSize * TileWarper.Pixels.planes)
    }

    deinit {
        buffer.deallocate()
    }

    public var width: Int { raster.width }
    public var height: Int { raster.height }

    /// Reads `window` of `bands` (1–3) into the top-left `filled` pixels of a
    /// tile and hands the samples to `body`, laid out as `TileWarper` lays
    /// them out: the rest of the tile, and nodata, have alpha 0.
    public func read<R>(_ window: Window, filled: Size, bands: [Int], _ body: (TileWarper.Pixels) throws -> R) throws -> R {
        let planes = TileWarper.Pixels.planes
        guard (1...planes - 1).contains(bands.count), filled.width <= tileSize, filled.height <= tileSize else {
            throw GeoError.invalidArgument(name: "bands", reason: "\(bands) is not 1–3 bands, or \(filled) does not fit a \(tileSize)-pixel tile")
        }
        try raster.checkBands(bands)
        try raster.checkInside(window)
        buffer.update(repeating: 0, count: count)
        let floatSize = MemoryLayout<Float>.size
        try raster.rasterIO(GF_Read, window, bands: bands, dataType: .float32, buffer: UnsafeMutableRawPointer(buffer),
                            pixelSpace: planes * floatSize, lineSpace: tileSize * planes * floatSize, bandSpace: floatSize,
                            bufferSize: filled)
        let values = bands.map { noData[$0 - 1].map(Float.init) }
        for row in 0..<filled.height {
            for col in 0..<filled.width {
                let base = (row * tileSize + col) * planes
                let missing = values.enumerated().contains { channel, value in
                    guard let value else { return false }
                    let sample = buffer[base + channel]
                    return sample == value || (value.isNaN && sample.isNaN)
                }
                buffer[base + planes - 1] = missing ? 0 : 1
            }
        }
        return try body(TileWarper.Pixels(values: UnsafeBufferPointer(start: buffer, count: count), size: tileSize))
    }
}
