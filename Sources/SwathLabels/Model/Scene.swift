import Foundation
import SwathGeo

public typealias SceneID = Int64

/// A registered raster with everything needed to place labels on it without
/// reopening it: CRS, the full geotransform, size and bands.
public struct Scene: Codable, Equatable, Sendable {
    public var id: SceneID
    public var projectId: ProjectID
    /// A path or GDAL URI (/vsis3/…, /vsicurl/…).
    public var uri: String
    public var crsWKT: String
    public var epsg: Int?
    public var geoTransform: [Double]
    public var width: Int
    public var height: Int
    public var bandCount: Int
    public var dataType: String
    public var acquiredAt: Date?
    public var sensor: String?
    /// Role → 1-based band number, e.g. ["red": 3, "nir": 4].
    public var bandRoles: [String: Int]
    public var preEventSceneId: SceneID?
    public var tileSize: Int
    public var overlap: Int
    /// [west, south, east, north] in WGS84.
    public var bboxWGS84: [Double]
    public var createdAt: Date

    public var transform: GeoTransform { GeoTransform(geoTransform) }

    public var crs: CRS { CRS(name: "", wkt: crsWKT, epsg: epsg, projJSON: nil, isGeographic: false) }
}
