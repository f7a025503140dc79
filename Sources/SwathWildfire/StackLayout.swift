import SwathGeo

/// The bands of a stack and the grid it sits on: creates a raster with the
/// band descriptions, nodata, CRS and the geotransform of a window of the scene.
struct StackLayout: Sendable {
    let features: [WildfireFeature]
    let crs: CRS
    let transform: GeoTransform

    func create(_ path: String, size: Size, origin: (col: Int, row: Int), driver: String, options: [String]) throws -> Raster {
        let raster = try Raster.create(path, driver: driver, size: size, bandCount: features.count, dataType: .float32, options: options)
        try raster.setGeoTransform(transform.offset(col: origin.col, row: origin.row))
        try raster.setCRS(crs)
        for (index, feature) in features.enumerated() {
            try raster.setBandMetadata(index + 1, noData: Double(WildfireFeature.noData), description: feature.name,
                                       colorInterpretation: "Undefined")
        }
        return raster
    }
}
