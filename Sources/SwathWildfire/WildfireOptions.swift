import SwathTiling

/// How to extract features.
public struct WildfireOptions: Sendable {
    /// Reflectance = DN × scale + offset (Sentinel-2 L2A: 0.0001, 0; since baseline 04.00 the offset is −0.1).
    public var scale: Double
    public var offset: Double
    /// Feature names or group names (spectral, change, terrain); nil = everything the inputs allow.
    public var features: [String]?
    /// Chips of this many pixels on the export grid, one COG each; 0 = one stack for the whole scene.
    public var chipSize: Int
    public var threads: Int
    /// This run's part of a sharded job: every Nth row of chips (nil: all of them).
    public var shard: TileShard? = nil
    /// The only GDAL drivers the DEM is opened with (nil: any; the operator's command line).
    public var demDrivers: [String]? = nil

    public init(scale: Double = 1, offset: Double = 0, features: [String]? = nil, chipSize: Int = 512, threads: Int = 2) {
        self.scale = scale
        self.offset = offset
        self.features = features
        self.chipSize = chipSize
        self.threads = threads
    }
}
