/// A raster's description as `swath info --json` prints it: what gdalinfo
/// tells an analyst, plus the footprint in WGS84.
public struct RasterInfo: Encodable, Sendable {
    public struct Band: Encodable, Sendable {
        public var index: Int
        public var dataType: String
        /// JSON has no NaN: a NaN nodata is written as the string "NaN".
        public var noData: Double?
        public var colorInterpretation: String
        public var description: String
        public var blockSize: [Int]

        public func encode(to encoder: Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(index, forKey: .index)
            try container.encode(dataType, forKey: .dataType)
            switch noData {
            case .none: try container.encodeNil(forKey: .noData)
            case .some(let value) where value.isNaN: try container.encode("NaN", forKey: .noData)
            case .some(let value) where value.isInfinite: try container.encode(value > 0 ? "Infinity" : "-Infinity", forKey: .noData)
            case .some(let value): try container.encode(value, forKey: .noData)
            }
            try container.encode(colorInterpretation, forKey: .colorInterpretation)
            try container.encode(description, forKey: .description)
            try container.encode(blockSize, forKey: .blockSize)
        }

        enum CodingKeys: String, CodingKey { case index, dataType, noData, colorInterpretation, description, blockSize }
    }

    public struct CRSInfo: Encodable, Sendable {
        public var name: String
        public var wkt: String
        public var epsg: Int?
        /// PROJJSON as a JSON object, not a string inside a string.
        public var projjson: JSONValue?

        public func encode(to encoder: Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(name, forKey: .name)
            try container.encode(wkt, forKey: .wkt)
            try container.encode(epsg, forKey: .epsg)  // explicit null when there is no code
            try container.encode(projjson, forKey: .projjson)
        }

        enum CodingKeys: String, CodingKey { case name, wkt, epsg, projjson }
    }

    public var path: String
    public var driver: String
    public var width: Int
    public var height: Int
    public var bandCount: Int
    public var bands: [Band]
    public var blockSize: [Int]
    public var crs: CRSInfo?
    public var geoTransform: [Double]?
    public var rotated: Bool
    public var georeferenced: Bool
    public var bboxWGS84: [Double]?
    public var footprintWGS84: GeoJSONGeometry?
    public var overviews: [[Int]]

    /// Reads everything from an open raster. The WGS84 footprint follows each
    /// edge at 16 points so curved edges of large scenes stay inside the bbox.
    public init(_ raster: Raster) throws {
        let bandInfos = raster.bands
        path = raster.path
        driver = raster.driverName
        width = raster.width
        height = raster.height
        bandCount = raster.bandCount
        bands = bandInfos.map {
            Band(index: $0.index, dataType: $0.dataType.name, noData: $0.noData,
                 colorInterpretation: $0.colorInterpretation, description: $0.description,
                 blockSize: [$0.blockWidth, $0.blockHeight])
        }
        blockSize = [bandInfos[0].blockWidth, bandInfos[0].blockHeight]
        let crs = raster.crs
        self.crs = crs.map { CRSInfo(name: $0.name, wkt: $0.wkt, epsg: $0.epsg, projjson: $0.projJSON.flatMap(JSONValue.init(parsing:))) }
        let transform = raster.geoTransform
        geoTransform = transform?.coefficients
        rotated = transform?.isRotated ?? false
        georeferenced = crs != nil && transform != nil
        overviews = bandInfos[0].overviews.map { [$0.width, $0.height] }
        if let crs, let transform {
            let footprint: Footprint
            do {
                footprint = try Footprint(window: raster.bounds, transform: transform, toWGS84: .toWGS84(from: crs), segmentsPerEdge: 16)
            } catch GeoError.projection(let reason) {
                // A footprint is in WGS84: a CRS that cannot get there (another planet's) or a flat geotransform has none.
                throw GeoError.invalidRaster(path: raster.path, reason: "has no footprint in WGS84 (its CRS is \(crs.describedName)): \(reason)")
            }
            bboxWGS84 = footprint.bbox
            footprintWGS84 = GeoJSONGeometry(footprint)
        }
    }

    enum CodingKeys: String, CodingKey {
        case path, driver, width, height, bandCount, bands, blockSize, crs, geoTransform, rotated, georeferenced
        case bboxWGS84, footprintWGS84, overviews
    }

    public func encode(to encoder: Encoder) throws {
        // Absent values are explicit nulls: scripts can test `crs == null`.
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(path, forKey: .path)
        try container.encode(driver, forKey: .driver)
        try container.encode(width, forKey: .width)
        try container.encode(height, forKey: .height)
        try container.encode(bandCount, forKey: .bandCount)
        try container.encode(bands, forKey: .bands)
        try container.encode(blockSize, forKey: .blockSize)
        try container.encode(crs, forKey: .crs)
        try container.encode(geoTransform, forKey: .geoTransform)
        try container.encode(rotated, forKey: .rotated)
        try container.encode(georeferenced, forKey: .georeferenced)
        try container.encode(bboxWGS84, forKey: .bboxWGS84)
        try container.encode(footprintWGS84, forKey: .footprintWGS84)
        try container.encode(overviews, forKey: .overviews)
    }
}
