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
            let query = request.uri.queryParameters
            let selection = try BandSelection(parameter: query.get("bands"))
            let stretch = try Stretch(parameter: query.get("stretch"))
            let registered = try await service.sceneForMap(id: parameters.id(), by: context.caller())
            let scene = MapScene(registered)
            let bands = try selection.bands(roles: scene.bandRoles, bandCount: scene.bandCount)
            let key = "\(scene.id)/\(address)/\(bands.map(String.init).joined(separator: ","))/\(stretch)"
            let etag = etags.tag(sceneId: scene.id, registeredAt: registered.createdAt,
                                 usesOverviews: renderer.overviews.renderPath(for: scene.uri) != scene.uri,
                                 address: address, bands: bands, stretch: stretch)
            if request.headers[.ifNoneMatch] == etag {
                return Response(status: .notModified, headers: Self.cacheHeaders(etag))
            }
            if let hit = cache.entry(key), hit.etag == etag {
                return Self.png(hit.png, etag: etag)
            }
            switch try await renderer.tile(scene, at: address, bands: .explicit(bands), stretch: stretch) {
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
        api.get("scenes/{id}/tilejson") { request, context in
            let scene = try MapScene(await service.sceneForMap(id: context.parameters.id(), by: context.caller()))
            renderer.prepare(scene)
            return Response.json(try tileJSON(scene))
        }
    }

    /// TileJSON 3.0.0, plus what the workbench needs: presets this scene's
    /// band roles allow and the zoom where it shows every pixel.
    func tileJSON(_ scene: MapScene) throws -> JSONValue {
        let native = try renderer.nativeZoom(of: scene)
        let box = scene.bboxWGS84
        return .object([
            "tilejson": .string("3.0.0"),
            "name": .string("scene \(scene.id)"),
            "scheme": .string("xyz"),
            "tiles": .array([.string("/api/v1/scenes/\(scene.id)/tiles/{z}/{x}/{y}.png")]),
            "bounds": .array(box.map(JSONValue.number)),
            "center": .array([.number((box[0] + box[2]) / 2), .number((box[1] + box[3]) / 2), .number(Double(native))]),
            "minzoom": .number(0),
            "maxzoom": .number(Double(min(native + 4, WebMercator.maximumZoom))),
            "nativeZoom": .number(Double(native)),
            "bandCount": .number(Double(scene.bandCount)),
            "presets": .array(BandPreset.available(roles: scene.bandRoles).map { .string($0.rawValue) }),
            "stretches": .array([.string(Stretch.standard.description), .string(Stretch.minMax.description)]),
        ])
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
