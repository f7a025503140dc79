import Foundation
import SwathGeo

/// Where the server keeps and finds what is not in the database.
public struct ServerOptions: Sendable {
    /// Training chips rendered on demand.
    public var chipCache: URL
    /// Disk for the chip cache: past it, the least recently used project
    /// versions go (never one being rendered or served).
    public var chipCacheBytes: Int
    /// When set, servers on several machines share rendered chips under this S3 prefix
    /// (each keeps its copies in `chipCache` too).
    public var chipCachePrefix: ObjectPrefix? = nil
    /// `SWATH_EXPORT_KEY`: annotators' pseudonyms in chips, the same on every server (needed with `chipCachePrefix`).
    public var chipPseudonymSecret: String? = nil
    /// Overviews built for scenes that came without (shared with `swath ingest` and `swath worker`).
    public var overviewDirectory: URL
    /// When set, overviews live under this S3 prefix instead (servers on several machines share them).
    public var overviewPrefix: ObjectPrefix? = nil
    /// The workbench's HTML/CSS/JS; nil serves the copy built into the binary.
    public var webDirectory: URL?
    /// Leaflet as Debian's libjs-leaflet installs it.
    public var leafletDirectory: URL
    /// Memory for rendered map tiles.
    public var tileCacheBytes: Int
    /// Map tile renders that may wait for or run on the render threads at
    /// once; more are answered 503 with Retry-After. nil: four per thread.
    public var tileRenderQueueLimit: Int?
    /// The key of tile ETags (HMAC-SHA256), so they reveal nothing about the
    /// scene and cannot be forged or compared across servers. Drawn at random
    /// when not given: browsers then revalidate once after a restart. Servers
    /// behind one load balancer should share one.
    public var tileETagSecret: [UInt8]
    /// Counters and timings `GET /metrics` reports (one per server process).
    public var metrics = ServerMetrics()

    public static let defaultLeafletDirectory = URL(fileURLWithPath: "/usr/share/javascript/leaflet")
    public static let defaultOverviewDirectory = URL(fileURLWithPath: "tiles/.overviews")
    public static let defaultChipCacheBytes = 2 << 30

    public init(chipCache: URL = URL(fileURLWithPath: "tiles/.chips"),
                chipCacheBytes: Int = ServerOptions.defaultChipCacheBytes,
                overviewDirectory: URL = ServerOptions.defaultOverviewDirectory,
                webDirectory: URL? = nil,
                leafletDirectory: URL = ServerOptions.defaultLeafletDirectory,
                tileCacheBytes: Int = 512 << 20,
                tileRenderQueueLimit: Int? = nil,
                tileETagSecret: [UInt8]? = nil) {
        self.chipCache = chipCache
        self.chipCacheBytes = chipCacheBytes
        self.overviewDirectory = overviewDirectory
        self.webDirectory = webDirectory
        self.leafletDirectory = leafletDirectory
        self.tileCacheBytes = tileCacheBytes
        self.tileRenderQueueLimit = tileRenderQueueLimit
        self.tileETagSecret = tileETagSecret ?? Self.randomSecret()
    }

    /// The web directory actually served.
    var resolvedWebDirectory: URL {
        webDirectory ?? Bundle.module.resourceURL!.appendingPathComponent("web")
    }

    /// 256 bits from the system's generator.
    static func randomSecret() -> [UInt8] {
        var generator = SystemRandomNumberGenerator()
        return (0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
    }
}
