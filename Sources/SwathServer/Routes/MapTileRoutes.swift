import Foundation
import Hummingbird
import SwathGeo
import SwathLabels
import SwathMap

/// Map tiles rendered on the fly from a scene, for any member of its
/// project: PNG with an ETag (304 when the browser has it), kept in memory.
/// The cache key and the ETag use the canonical band list and stretch, so
/// spellings of one request (`p2-98`, `p02-98.0`, a preset and its bands)
/// share one rendering.
struct MapTileRoutes {
    let service: LabelingService
    let renderer: MapRenderer
    let cache: TileCache
    let etags: TileETag

    /// Inside the scene's bounds but without data: one shared transparent tile.
    static let transparentPNG: [UInt8] = {
        var pixels = [UInt8](repeating: 0, count: WebMercator.tileSize * WebMercator.tileSize * 4)
        return pixels.withUnsafeMutableBytes {
            (try? PNGEncoder.encodeRGBA($0.baseAddress!, size: Size(width: WebMercator.tileSize, height: WebMercator.tileSize))) ?? []
        }
    }()

    func register(on api: RouterGroup<SwathRequestContext>) {
        api.get("scenes/{id}/tiles/{z}/{x}/{y}") { request, context in
            let parameters = context.parameters
            let address = try TileAddress(z: parameters.get("z") ?? "", x: parameters.get("x") ?? "",
                                          yWithExtension: parameters.get("y") ?? "")
            let registered = try await service.sceneForMap(id: parameters.id(), by: context.caller())
            let scene = MapScene(registered)
            return try await respond(request, scene: scene, registeredAt: registered.createdAt, tile: address) { bands, stretch in
                try await renderer.tile(scene, at: address, bands: .explicit(bands), stretch: stretch)
            }
        }
        // The scene's own pixel grid, for the workbench's native view (Leaflet's simple CRS).
        api.get("scenes/{id}/grid/{z}/{x}/{y}") { request, context in
            let parameters = context.parameters
            let registered = try await service.sceneForMap(id: parameters.id(), by: context.caller())
            let scene = MapScene(registered)
            let address = try GridTileAddress(z: parameters.get("z") ?? "", x: parameters.get("x") ?? "",
                                              yWithExtension: parameters.get("y") ?? "", width: scene.width, height: scene.height)
            return try await respond(request, scene: scene, registeredAt: registered.createdAt, tile: address) { bands, stretch in
                try await renderer.gridTile(scene, at: address, bands: .explicit(bands), stretch: stretch)
            }
        }
        api.get("scenes/{id}/tilejson") { request, context in
            let scene = try MapScene(await service.sceneForMap(id: context.parameters.id(), by: context.caller()))
            renderer.prepare(scene)
            return Response.json(try tileJSON(scene))
        }
    }

    /// One tile, map or grid: the bands and stretch from the query, 304 when the browser has it, the cache,
    /// then `render`. The cache key and the ETag use the canonical band list and stretch, so spellings of one
    /// request share one rendering.
    func respond(_ request: Request, scene: MapScene, registeredAt: Date, tile: some CustomStringConvertible,
                 render: ([Int], Stretch) async throws -> RenderedTile) async throws -> Response {
        let query = request.uri.queryParameters
        let selection = try BandSelection(parameter: query.get("bands"))
        let stretch = try Stretch(parameter: query.get("stretch"))
        let bands = try selection.bands(roles: scene.bandRoles, bandCount: scene.bandCount)
        let key = "\(scene.id)/\(tile)/\(bands.map(String.init).joined(separator: ","))/\(stretch)"
        let etag = etags.tag(sceneId: scene.id, registeredAt: registeredAt,
                             usesOverviews: renderer.overviews.renderPath(for: scene.uri) != scene.uri,
                             tile: tile, bands: bands, stretch: stretch)
        if request.headers[.ifNoneMatch] == etag {
            return Response(status: .notModified, headers: Self.cacheHeaders(etag))
        }
        if let hit = cache.entry(key), hit.etag == etag {
            return Self.png(hit.png, etag: etag)
        }
        switch try await render(bands, stretch) {
        case .outside:
            return Response(status: .noContent, headers: Self.cacheHeaders(etag))
        case .transparent:
            // Remembered too: warping a nodata corner costs as much as imagery.
            cache.store(TileCache.Entry(png: Self.transparentPNG, etag: etag), for: key)
            return Self.png(Self.transparentPNG, etag: etag)
        case .image(let png):
            cache.store(TileCache.Entry(png: png, etag: etag), for: key)
            return Self.png(png, etag: etag)
        }
    }

    /// TileJSON 3.0.0, plus what the workbench needs: presets this scene's
    /// band roles allow, the zoom where it shows every pixel, its own pixel
    /// grid for the native view, and whether a web map can show it at all.
    func tileJSON(_ scene: MapScene) throws -> JSONValue {
        let native = try renderer.nativeZoom(of: scene)
        let box = scene.bboxWGS84
        // Across the antimeridian (west > east) the centre is halfway along the short way round.
        var centreLongitude = box[0] <= box[2] ? (box[0] + box[2]) / 2 : (box[0] + box[2] + 360) / 2
        if centreLongitude > 180 { centreLongitude -= 360 }
        let centreLatitude = min(max((box[1] + box[3]) / 2, -WebMercator.maximumLatitude), WebMercator.maximumLatitude)
        return .object([
            "tilejson": .string("3.0.0"),
            "name": .string("scene \(scene.id)"),
            "scheme": .string("xyz"),
            "tiles": .array([.string("/api/v1/scenes/\(scene.id)/tiles/{z}/{x}/{y}.png")]),
            "bounds": .array(box.map(JSONValue.number)),
            "center": .array([.number(centreLongitude), .number(centreLatitude), .number(Double(native))]),
            "minzoom": .number(0),
            "maxzoom": .number(Double(min(native + 4, WebMercator.maximumZoom))),
            "nativeZoom": .number(Double(native)),
            "bandCount": .number(Double(scene.bandCount)),
            "presets": .array(BandPreset.available(roles: scene.bandRoles).map { .string($0.rawValue) }),
            "stretches": .array([.string(Stretch.standard.description), .string(Stretch.minMax.description)]),
            "mapView": mapView(scene),
            "grid": .object([
                "tiles": .array([.string("/api/v1/scenes/\(scene.id)/grid/{z}/{x}/{y}.png")]),
                "width": .number(Double(scene.width)),
                "height": .number(Double(scene.height)),
                "tileSize": .number(Double(GridTileAddress.tileSize)),
                "minzoom": .number(Double(GridTileAddress.minimumZoom(width: scene.width, height: scene.height))),
                "maxzoom": .number(Double(GridTileAddress.maximumZoom)),
                "rotated": .bool(scene.geoTransform.isRotated),
            ]),
        ])
    }

    /// Whether the workbench's Web Mercator map can show the whole scene and take polygons drawn on it, and if not,
    /// why (said to the analyst).
    func mapView(_ scene: MapScene) -> JSONValue {
        let box = scene.bboxWGS84
        let limit = WebMercator.maximumLatitude
        var reason: String?
        if box[3] > limit {
            reason = String(format: "this scene reaches %.2f° N, beyond the %.2f° a web map can show", box[3], limit)
        } else if box[1] < -limit {
            reason = String(format: "this scene reaches %.2f° S, beyond the %.2f° a web map can show", -box[1], limit)
        } else if box[0] > box[2] {
            // The map would put its two halves at opposite ends of the world, and a polygon drawn across would not be lon/lat.
            reason = "this scene crosses the antimeridian (180°), which the map view cannot draw across"
        }
        return .object(["fits": .bool(reason == nil), "reason": reason.map(JSONValue.string) ?? .null])
    }

    static func png(_ bytes: [UInt8], etag: String) -> Response {
        var headers = cacheHeaders(etag)
        headers[.contentType] = "image/png"
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
    }

    /// Private: tiles are only for the project's members.
    static func cacheHeaders(_ etag: String) -> HTTPFields {
        [.eTag: etag, .cacheControl: "private, max-age=3600"]
    }
}

extension MapScene {
    init(_ scene: Scene) {
        self.init(id: scene.id, uri: scene.uri, crsWKT: scene.crsWKT, geoTransform: scene.transform, width: scene.width,
                  height: scene.height, bandCount: scene.bandCount, bandRoles: scene.bandRoles, bboxWGS84: scene.bboxWGS84)
    }
}
