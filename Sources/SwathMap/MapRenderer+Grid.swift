import SwathGeo

extension MapRenderer {
    /// A tile of the scene's own pixel grid (see `GridTileAddress`), stretched
    /// and coloured exactly as its map tiles are: what the workbench shows
    /// where a web map cannot (beyond ±85.05°) or when the analyst wants the
    /// scene unwarped. Past the scene's edge: `.outside`.
    public func gridTile(_ scene: MapScene, at address: GridTileAddress, bands selection: BandSelection,
                         stretch: Stretch) async throws -> RenderedTile {
        let bands = try selection.bands(roles: scene.bandRoles, bandCount: scene.bandCount)
        guard let (window, filled) = address.coverage(width: scene.width, height: scene.height) else { return .outside }
        let path = overviews.renderPath(for: scene.uri)
        var ranges: [(low: Float, high: Float)] = []
        for band in bands {
            guard let distribution = try await quantiles(scene, path: path, band: band) else { return .transparent }
            ranges.append(distribution.range(stretch))
        }
        guard admission.enter() else { throw MapTileError.busy(retryAfterSeconds: Self.retryAfterSeconds) }
        defer { admission.leave() }
        let png = try await threads.run { [ranges] state in
            do {
                let reader = try Self.gone(scene) { try state.gridReader(path) { try GridTileReader(path: path) } }
                // The catalogue's size is what the address was checked against: a file that changed size is gone.
                guard reader.width == scene.width, reader.height == scene.height else {
                    throw MapTileError.imageryGone(sceneId: scene.id, reason: "its file no longer has the registered size")
                }
                return try Self.gone(scene) { try reader.read(window, filled: filled, bands: bands) { try TileRenderer.render($0, ranges: ranges) } }
            } catch {
                state.forget(path)
                throw error
            }
        }
        return png.map(RenderedTile.image) ?? .transparent
    }
}
