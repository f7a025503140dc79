import SwathGeo

/// What every tile inherits from its scene: CRS, the scene's geotransform
/// (offset per tile), and per-band nodata, description and colour.
struct TileMetadata: Sendable {
    var crs: CRS?
    var sceneTransform: GeoTransform?
    var dataType: RasterDataType
    var sourceBands: [Int]
    var bands: [BandInfo]

    var noData: [Double?] { bands.map(\.noData) }
}
