import Foundation

/// Where the server keeps and finds what is not in the database.
public struct ServerOptions: Sendable {
    /// Training chips rendered on demand.
    public var chipCache: URL
    /// Overviews built for scenes that came without (shared with `swath ingest`).
    public var overviewDirectory: URL
    /// The workbench's HTML/CSS/JS; nil serves the copy built into the binary.
    public var webDirectory: URL?
    /// Leaflet as Debian's libjs-leaflet installs it.
    public var leafletDirectory: URL
    /// Memory for rendered map tiles.
    public var tileCacheBytes: Int

    public static let defaultLeafletDirectory = URL(fileURLWithPath: "/usr/share/javascript/leaflet")
    public static let defaultOverviewDirectory = URL(fileURLWithPath: "tiles/.overviews")

    public init(chipCache: URL = URL(fileURLWithPath: "tiles/.chips"),
                overviewDirectory: URL = ServerOptions.defaultOverviewDirectory,
                webDirectory: URL? = nil,
                leafletDirectory: URL = ServerOptions.defaultLeafletDirectory,
                tileCacheBytes: Int = 512 << 20) {
        self.chipCache = chipCache
        self.overviewDirectory = overviewDirectory
        self.webDirectory = webDirectory
        self.leafletDirectory = leafletDirectory
        self.tileCacheBytes = tileCacheBytes
    }

    /// The web directory actually served.
    var resolvedWebDirectory: URL {
        webDirectory ?? Bundle.module.resourceURL!.appendingPathComponent("web")
    }
}
