import SwathGeo

/// Scenes centred on a pole, made at test time: 400 × 400 pixels of 1 km (400 km a side) in a polar
/// stereographic CRS, origin (−200 000, 200 000), so the pole is pixel (200, 200). EPSG:3413 (NSIDC Sea Ice
/// Polar Stereographic North) for the North Pole, EPSG:3031 (Antarctic Polar Stereographic) for the South.
public enum PolarScene {
    public static func make(epsg: Int, in folder: TemporaryDirectory, name: String = "pole.tif") throws -> String {
        let path = folder.file(name)
        let raster = try Raster.create(path, driver: "GTiff", size: Size(width: 400, height: 400), bandCount: 1, dataType: .byte, options: [])
        try raster.setGeoTransform(GeoTransform(originX: -200_000, pixelWidth: 1000, originY: 200_000, pixelHeight: -1000))
        try raster.setCRS(CRS("EPSG:\(epsg)"))
        try raster.close()
        return path
    }
}
