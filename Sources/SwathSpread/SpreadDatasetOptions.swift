/// What `swath spread-dataset` was asked for: window and stride in cells, the cell size, how weather meets
/// observation times, the split, and how many windows without new burn a pair keeps (class balance).
public struct SpreadDatasetOptions: Sendable {
    public var window = 64
    public var stride = 32
    /// Metres (CRS units) per cell; nil: the scenes' own.
    public var resolution: Double?
    public var weatherTime: WeatherTimeMode = .before
    public var split: SpreadSplit = .byFire(train: 0.7, validation: 0.15, test: 0.15, seed: 0)
    /// Windows whose target has no newly burned cell, at most this share of the windows a pair keeps (0…1).
    public var emptyShare = 0.2
    /// A DEM (any CRS and cell size): elevation, slope and the wind's alignment with upslope in every sample.
    public var dem: String?
    /// The GDAL drivers the DEM may be opened with (a request's DEM: GeoTIFF only); nil: any.
    public var demDrivers: [String]?
    /// How each fire's cube is written.
    public var cubeFormat: CubeFormat = .netcdf

    /// What one fire's planes may take in memory: a grid needing more is refused (a coarser --resolution fits it).
    public var memoryBudget = 4 << 30

    public init() {}

    public func validate() throws {
        guard (4...1024).contains(window) else { throw SpreadError("--window must be 4–1024 cells, got \(window)") }
        guard (1...window).contains(stride) else { throw SpreadError("--stride must be 1–\(window) cells (the window), got \(stride)") }
        if let resolution, !(resolution > 0 && resolution.isFinite) { throw SpreadError("--resolution must be a positive number of metres") }
        guard (0...1).contains(emptyShare) else { throw SpreadError("--empty-share must be 0–1, got \(emptyShare)") }
    }
}
