/// A coordinate reference system as a value: WKT2, the EPSG code when there is
/// one, and PROJJSON. The WKT is what travels to tiles and to PROJ.
public struct CRS: Equatable, Hashable, Sendable, Codable {
    public var name: String
    public var wkt: String
    public var epsg: Int?
    public var projJSON: String?
    public var isGeographic: Bool

    public init(name: String, wkt: String, epsg: Int?, projJSON: String?, isGeographic: Bool) {
        self.name = name
        self.wkt = wkt
        self.epsg = epsg
        self.projJSON = projJSON
        self.isGeographic = isGeographic
    }

    /// Parses anything GDAL's OSRSetFromUserInput understands ("EPSG:4326", WKT, PROJJSON…).
    public init(_ userInput: String) throws {
        try self.init(SpatialReference(userInput: userInput))
    }

    init(_ reference: SpatialReference) throws {
        guard let wkt = reference.wkt() else {
            throw GeoError.projection(reason: "CRS cannot be written as WKT2")
        }
        self.init(name: reference.name, wkt: wkt, epsg: reference.epsgCode, projJSON: reference.projJSON,
                  isGeographic: reference.isGeographic)
    }

    /// EPSG:4326 is always in PROJ's database; failing here means a broken
    /// install, reported like any other PROJ failure rather than a crash.
    public static func wgs84() throws -> CRS {
        try CRS("EPSG:4326")
    }

    enum CodingKeys: String, CodingKey { case name, wkt, epsg, projJSON = "projjson", isGeographic }
}
