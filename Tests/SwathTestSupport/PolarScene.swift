import SwathGeo

/// Scenes centred on a pole, made at test time: 400 × 400 pixels of 1 km (400 km a side) in a polar
/// stereographic CRS, origin (−200 000, 200 000), so the pole is pixel (200, 200). EPSG:3413 (NSIDC Sea Ice
/// Polar Stereographic North) for the North Pole, EPSG:3031 (Antarctic Polar Stereographic) for the South.
public enum PolarScene {
    public static func make(epsg: Int, in folder: TemporaryDirectory, name: String = "pole.tif") throws -> String {
        try TestGeoTIFF.write(folder.file(name), size: Size(width: 400, height: 400),
                              transform: GeoTransform(originX: -200_000, pixelWidth: 1000, originY: 200_000, pixelHeight: -1000),
                              epsg: epsg, dataType: .byte)
    }
}
