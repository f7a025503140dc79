import SwathGeo

/// What drawing a scene on a map needs, read from the catalogue rather
/// than the file: which file, its georeferencing, and its band roles.
public struct MapScene: Sendable {
    public var id: Int64
    /// The path or GDAL URI of the imagery.
    public var uri: String
    public var crsWKT: String
    public var geoTransform: GeoTransform
    public var width: Int
    public var height: Int
    public var bandCount: Int
    public var bandRoles: [String: Int]
    /// west, south, east, north in degrees.
    public var bboxWGS84: [Double]

    public init(id: Int64, uri: String, crsWKT: String, geoTransform: GeoTransform, width: Int, height: Int,
                bandCount: Int, bandRoles: [String: Int], bboxWGS84: [Double]) {
        (self.id, self.uri, self.crsWKT, self.geoTransform) = (id, uri, crsWKT, geoTransform)
        (self.width, self.height, self.bandCount, self.bandRoles) = (width, height, bandCount, bandRoles)
        self.bboxWGS84 = bboxWGS84
    }
}
