import Foundation
import SwathGeo
import Synchronization

/// What a tile request comes to.
public enum RenderedTile: Sendable, Equatable {
    case image([UInt8])
    /// Inside the scene's bounds but without data (nodata, or beyond a
    /// rotated or reprojected edge).
    case transparent
    /// Nowhere near the scene.
    case outside
}

/// Draws scenes as Web Mercator map tiles with GDAL's warper on a few
/// render threads; remembers each scene's extent and band statistics.
public final class MapRenderer: Sendable {
    public let overviews: SceneOverviews
    let threads: RenderThreads
    let admission: RenderAdmission
    private let extents = Mutex<[Int64: MercatorBounds]>([:])
    private let quantiles = Mutex<[String: Task<BandQuantiles?, Error>]>([:])
    /// Looked up once; a PROJ database without EPSG:3857 is an error on each render, not a crash.
    private static let webMercator = Result { try CRS("EPSG:3857") }
    /// What a refused request is told to wait: about the time the threads take to drain a full queue.
    static let retryAfterSeconds = 1

    /// `queueLimit`: tile renders that may wait for or run on the threads at
    /// once (default four per thread, enough to keep every thread busy
    /// while a browser's next tiles arrive); more are refused with `.busy`.
    public init(overviews: SceneOverviews, threads: RenderThreads = .shared, queueLimit: Int? = nil) {
        self.overviews = overviews
        self.threads = threads
        self.admission = RenderAdmission(limit: queueLimit ?? Self.defaultQueueLimit(threads: threads.count))
    }

    public static func defaultQueueLimit(threads: Int) -> Int { 4 * max(threads, 1) }

    public func tile(_ scene: MapScene, at address: TileAddress, bands selection: BandSelection,
                     stretch: Stretch) async throws -> RenderedTile {
        let bands = try selection.bands(roles: scene.bandRoles, bandCount: scene.bandCount)
        guard address.bounds.intersects(try extent(of: scene)) else { return .outside }
        let path = overviews.renderPath(for: scene.uri)
        var ranges: [(low: Float, high: Float)] = []
        for band in bands {
            guard let distribution = try await quantiles(scene, path: path, band: band) else { return .transparent }
            ranges.append(distribution.range(stretch))
        }
        let bounds = address.bounds.coordinates
        guard admission.enter() else { throw MapTileError.busy(retryAfterSeconds: Self.retryAfterSeconds) }
        defer { admission.leave() }
        let png = try await threads.run { [ranges] state in
            try Self.withWarper(scene, path: path, state: state) { warper in
                try warper.warp(bounds: bounds, bands: bands) { try TileRenderer.render($0, ranges: ranges) }
            }
        }
        return png.map(RenderedTile.image) ?? .transparent
    }

    /// The scene's extent in EPSG:3857 (its outline densified, so curved
    /// edges are inside), clamped to the Mercator square.
    public func extent(of scene: MapScene) throws -> MercatorBounds {
        if let known = extents.withLock({ $0[scene.id] }) { return known }
        let toMercator = try Reprojector(from: CRS(name: "", wkt: scene.crsWKT, epsg: nil, projJSON: nil, isGeographic: false),
                                         to: Self.webMercator.get())
        let outline = scene.geoTransform.densifiedOutline(Window(col: 0, row: 0, width: scene.width, height: scene.height), segmentsPerEdge: 16)
        let points = outline.compactMap { try? toMercator.forward($0) }.filter { $0.x.isFinite && $0.y.isFinite }
        guard !points.isEmpty else { throw MapTileError.imageryGone(sceneId: scene.id, reason: "its outline has no place on a Web Mercator map") }
        let limit = WebMercator.halfWorld
        let bounds = MercatorBounds(minX: max(points.map(\.x).min()!, -limit), minY: max(points.map(\.y).min()!, -limit),
                                    maxX: min(points.map(\.x).max()!, limit), maxY: min(points.map(\.y).max()!, limit))
        extents.withLock { $0[scene.id] = bounds }
        return bounds
    }

    /// Starts measuring every band's statistics in the background, so the
    /// first tiles do not wait for them (the workbench asks for the TileJSON
    /// before any tile).
    public func prepare(_ scene: MapScene) {
        let path = overviews.renderPath(for: scene.uri)
        for band in 1...max(scene.bandCount, 1) {
            Task { _ = try? await quantiles(scene, path: path, band: band) }
        }
    }

    /// The zoom at which the scene shows all its detail.
    public func nativeZoom(of scene: MapScene) throws -> Int {
        let bounds = try extent(of: scene)
        let resolution = min(bounds.width / Double(scene.width), bounds.height / Double(scene.height))
        return WebMercator.zoom(forResolution: resolution)
    }

    /// Computed once per file and band on a render thread; concurrent first
    /// requests wait for the same computation.
    func quantiles(_ scene: MapScene, path: String, band: Int) async throws -> BandQuantiles? {
        let key = "\(path)#\(band)"
        let task = quantiles.withLock { tasks in
            if let running = tasks[key] { return running }
            let threads = self.threads
            let started = Task { try await threads.run { _ in try Self.measure(scene, path: path, band: band) } }
            tasks[key] = started
            return started
        }
        do {
            return try await task.value
        } catch {
            _ = quantiles.withLock { $0.removeValue(forKey: key) }
            throw error
        }
    }

    /// Statistics over a decimated read of at most 1024 pixels a side.
    static func measure(_ scene: MapScene, path: String, band: Int) throws -> BandQuantiles? {
        let raster = try open(scene, path: path)
        let scale = min(1, 1024 / Double(max(raster.width, raster.height)))
        let size = Size(width: max(1, Int((Double(raster.width) * scale).rounded())),
                        height: max(1, Int((Double(raster.height) * scale).rounded())))
        let samples = try gone(scene) { try raster.readDecimated(band: band, to: size) }
        return BandQuantiles(samples: samples, noData: raster.bandInfo(band).noData)
    }

    private static func open(_ scene: MapScene, path: String) throws -> Raster {
        try gone(scene) { try Raster.open(path) }
    }

    private static func withWarper<R>(_ scene: MapScene, path: String, state: RenderThreadState,
                                      _ body: (TileWarper) throws -> R) throws -> R {
        do {
            let warper = try gone(scene) { try state.warper(path) { try TileWarper(path: path, targetCRS: Self.webMercator.get()) } }
            return try gone(scene) { try body(warper) }
        } catch {
            state.forget(path)
            throw error
        }
    }

    /// GDAL failures on a scene that was readable at ingest mean its file
    /// went away or changed: said without the path, which may name the customer.
    static func gone<R>(_ scene: MapScene, _ body: () throws -> R) throws -> R {
        do {
            return try body()
        } catch let error as GeoError {
            switch error {
            case .fileNotFound: throw MapTileError.imageryGone(sceneId: scene.id, reason: "its file is missing")
            case .notARaster, .invalidRaster: throw MapTileError.imageryGone(sceneId: scene.id, reason: "its file is no longer a raster GDAL can open")
            case .unreadable: throw MapTileError.imageryGone(sceneId: scene.id, reason: "reading its pixels failed")
            default: throw error
            }
        }
    }
}
