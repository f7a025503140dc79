import SwathGeo

/// Small one-band north-up GeoTIFFs made at test time, in an EPSG CRS.
public enum TestGeoTIFF {
    /// `values` row by row, in their own type.
    @discardableResult
    public static func write<T: RasterScalar>(_ path: String, size: Size, transform: GeoTransform, epsg: Int, values: [T]) throws -> String {
        let raster = try make(path, size: size, transform: transform, epsg: epsg, dataType: T.rasterDataType)
        try raster.write(values, window: raster.bounds)
        try raster.close()
        return path
    }

    /// No values written: GDAL's fill (0) everywhere.
    @discardableResult
    public static func write(_ path: String, size: Size, transform: GeoTransform, epsg: Int, dataType: RasterDataType) throws -> String {
        try make(path, size: size, transform: transform, epsg: epsg, dataType: dataType).close()
        return path
    }

    private static func make(_ path: String, size: Size, transform: GeoTransform, epsg: Int, dataType: RasterDataType) throws -> Raster {
        let raster = try Raster.create(path, driver: "GTiff", size: size, bandCount: 1, dataType: dataType, options: [])
        try raster.setGeoTransform(transform)
        try raster.setCRS(CRS("EPSG:\(epsg)"))
        return raster
    }
}
